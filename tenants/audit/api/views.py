"""The audit trail, read-only, for the partner's staff: who changed which money-relevant
record, when, and what changed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from common.accounts.models import Role
from common.api import serializers
from common.api.export import ExportMixin
from common.api.params import text_param
from common.api.permissions import HasRole
from common.api.schema import text_parameter
from tenants.audit.models import AuditEntry
from tenants.audit.selectors import audit_entry_list


class AuditEntryOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor_username", "action", "object_type", "object_id", "changes"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            text_parameter("object_type", "e.g. invoicing.invoice"),
            text_parameter("object_id"),
            text_parameter("action", "e.g. invoice.issue"),
        ]
    )
)
class AuditEntryViewSet(ExportMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """``?object_type=invoicing.invoice&object_id=12&action=invoice.issue``"""

    permission_classes = [HasRole]
    roles = (Role.ADMIN, Role.ACCOUNTANT, Role.ADVISOR)
    serializer_class = AuditEntryOutput
    ordering_fields = ["at", "action", "object_type"]
    search_fields = ["actor_username", "action", "object_type"]

    def get_queryset(self):
        return audit_entry_list(
            object_type=text_param(self.request, "object_type"),
            object_id=text_param(self.request, "object_id"),
            action=text_param(self.request, "action"),
        )
