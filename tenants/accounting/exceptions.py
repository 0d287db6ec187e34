from django.utils.translation import gettext_lazy as _

from common.errors import Conflict, ValidationFailed


class ExportInvalid(ValidationFailed):
    code = "export_invalid"
    default_message = _("The export request is not valid.")


class FecUnavailable(Conflict):
    code = "fec_unavailable"
    default_message = _("The FEC export is not available for this partner.")


class FiguresRangeInvalid(ValidationFailed):
    code = "figures_range_invalid"
    default_message = _("The range of months is not valid.")
