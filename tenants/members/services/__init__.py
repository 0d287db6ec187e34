"""Writing members, activities and activity ledgers, one module per seam:

- ``members``: registration, identity, status, login, shares and consents;
- ``activities``: the activities members run;
- ``ledger``: each activity's append-only account (posting and correcting).

Every service is one transaction and writes an audit row (``tenants.audit``). Other apps
import from this package (``from tenants.members.services import ledger_post``); code
inside ``tenants.members`` imports from the precise module.
"""

from __future__ import annotations

from tenants.members.services.activities import (
    ACTIVITY_FIELDS,
    activity_clean,
    activity_create,
    activity_update,
)
from tenants.members.services.ledger import ledger_correct, ledger_post
from tenants.members.services.members import (
    MEMBER_FIELDS,
    MEMBER_TRANSITIONS,
    member_clean,
    member_consent_give,
    member_consent_withdraw,
    member_create,
    member_share_mark_paid,
    member_share_subscribe,
    member_status_change,
    member_update,
    member_user_link,
)

__all__ = [
    "ACTIVITY_FIELDS",
    "MEMBER_FIELDS",
    "MEMBER_TRANSITIONS",
    "activity_clean",
    "activity_create",
    "activity_update",
    "ledger_correct",
    "ledger_post",
    "member_clean",
    "member_consent_give",
    "member_consent_withdraw",
    "member_create",
    "member_share_mark_paid",
    "member_share_subscribe",
    "member_status_change",
    "member_update",
    "member_user_link",
]
