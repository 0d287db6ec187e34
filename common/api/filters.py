"""DRF's search filter, reading its parameter through ``common.api.params.text_param``: a
search term with a character the text rule refuses is a 400 naming ``search`` (DRF's own
filter sends it to the database, which answers with an unnamed error)."""

from __future__ import annotations

from rest_framework.filters import SearchFilter

from common.api.params import text_param


class StrictSearchFilter(SearchFilter):
    def get_search_terms(self, request):
        text_param(request, self.search_param)
        return super().get_search_terms(request)

    def get_schema_operation_parameters(self, view):
        from common.api.schema import text_param_schema

        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.search_param:
                parameter["schema"] = text_param_schema()
        return parameters
