from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination

from common.errors import ValidationFailed


class Pagination(PageNumberPagination):
    """``?page=N&page_size=M`` (at most 500 rows a page: a larger ``page_size`` gives 500).

    ``page_size`` is a positive whole number or absent (empty counts as absent); anything
    else is refused with a 400 that names it, rather than silently replaced by the
    default. ``page`` is a positive whole number or ``last``; a page that does not exist
    answers 404."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def check_params(self, request) -> None:
        """Refuse a malformed ``page`` or ``page_size`` where no page is cut (a list
        export answers every row, but a bad parameter is still named, not ignored)."""
        self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param)
        if (
            raw
            and raw not in self.last_page_strings
            and not (raw.isascii() and raw.isdigit() and int(raw) >= 1)
        ):
            raise ValidationFailed(
                _("%(field)s must be a whole number.") % {"field": self.page_query_param},
                {"fields": {self.page_query_param: [_("A positive whole number.")]}},
            )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise ValidationFailed(
                _("%(field)s must be a whole number.") % {"field": self.page_size_query_param},
                {"fields": {self.page_size_query_param: [_("A positive whole number.")]}},
            )
        return min(int(raw), self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {
                    "oneOf": [
                        {"type": "integer", "minimum": 1},
                        {"type": "string", "enum": list(self.last_page_strings)},
                    ]
                }
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Rows per page (default {self.page_size}, at most {self.max_page_size})."
                )
        return parameters
