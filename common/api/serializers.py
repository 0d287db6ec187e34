"""DRF's ``serializers`` namespace with the platform's input rules in place.

Every app's serializers import this module instead of DRF's
(``from common.api import serializers``) and use it as they would DRF's. What differs:

- ``Serializer`` and ``ModelSerializer`` pass each of their fields, declared or built
  from the model, nested in lists or dicts, through ``common.api.fields.strict_field``:
  every ``CharField`` follows the text rule (``common.text``), and DRF's own number, date
  and JSON fields are replaced by the strict ones of ``common.api.fields``. A serializer
  cannot forget a rule, whichever field classes it names
  (tests/common/test_serializers.py checks that every serializer of the project is one
  of these);
- ``DecimalField``, ``IntegerField``, ``DateField`` and ``JSONField`` are the strict
  classes themselves, so that a field class derived from one inherits its rules.
"""

from __future__ import annotations

from django.utils.functional import cached_property
from rest_framework import serializers as _drf
from rest_framework.serializers import *  # noqa: F403  (the rest of the namespace, as DRF has it)
from rest_framework.utils.serializer_helpers import BindingDict

from common.api.fields import (  # noqa: F401  (re-exported in place of DRF's)
    DateField,
    DecimalField,
    IntegerField,
    JSONField,
    strict_field,
)


# Puts every field of the serializer through ``strict_field`` (see the module). No
# docstring here or below: drf-spectacular would show it as every serializer's description.
class StrictFieldsMixin:
    @cached_property
    def fields(self):
        fields = BindingDict(self)
        for name, field in self.get_fields().items():
            fields[name] = strict_field(field)
        return fields


class Serializer(StrictFieldsMixin, _drf.Serializer):
    pass


class ModelSerializer(StrictFieldsMixin, _drf.ModelSerializer):
    pass
