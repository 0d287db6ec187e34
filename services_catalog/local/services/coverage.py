"""The coverage aggregate a partner pushes to the federation (``CoverageSnapshot``, public
schema): which reference services it offers and how many members subscribe, never who.

Not audited: the snapshot is derived data that the nightly task recomputes and replaces
(one row per partner and day, ``computed_at`` says when); no one decides it.
"""

from __future__ import annotations

import datetime as dt

from common.tenancy import current_partner
from services_catalog.local.selectors import coverage_compute
from services_catalog.reference.models import CoverageSnapshot
from services_catalog.reference.services import coverage_snapshot_store


def coverage_push(*, as_of: dt.date) -> CoverageSnapshot:
    """Compute this partner's coverage on ``as_of`` (``selectors.coverage_compute``) and
    write it to the federation's rollup table. Idempotent (one row per day)."""
    aggregate = coverage_compute(as_of=as_of)
    return coverage_snapshot_store(partner=current_partner(), as_of=as_of, **aggregate)
