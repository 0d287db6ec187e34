"""Every serializer of the project follows the input rules (common/api/serializers.py): it
is built on the strict base, each text field carries the text rule, and no field of DRF's
own lax number, date or JSON classes is left."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from rest_framework import serializers as drf

from common.api.fields import PasswordField
from common.api.serializers import StrictFieldsMixin
from common.text import validate_text

PACKAGES = ("common", "tenants", "services_catalog", "shared")
LAX = (drf.DecimalField, drf.IntegerField, drf.DateField, drf.JSONField)


def _project_serializers() -> list[type]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations." not in module.name:
                importlib.import_module(module.name)
    found, pending = [], [drf.BaseSerializer]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PACKAGES and cls.__module__ != "common.api.serializers":
            found.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


SERIALIZERS = _project_serializers()


def _leaves(fields):
    for field in fields.values():
        yield field
        child = getattr(field, "child", None)
        if isinstance(field, drf.ListField | drf.DictField):
            yield child


def test_the_project_has_serializers_to_check():
    assert len(SERIALIZERS) > 50


@pytest.mark.parametrize("cls", SERIALIZERS, ids=lambda cls: f"{cls.__module__}.{cls.__name__}")
def test_every_serializer_follows_the_input_rules(cls):
    assert issubclass(cls, StrictFieldsMixin), f"{cls} is not built on common.api.serializers"
    for field in _leaves(cls().fields):
        assert type(field) not in LAX, f"{cls.__name__}.{field.field_name} is {type(field)}"
        if isinstance(field, drf.CharField) and not isinstance(field, PasswordField):
            assert validate_text in field.validators, f"{cls.__name__}.{field.field_name}"


@pytest.mark.parametrize("value", [12, 12.5, True, ["a"], {"a": 1}])
def test_a_text_field_takes_only_a_string(value):
    from common.api import serializers

    class Named(serializers.Serializer):
        name = serializers.CharField()

    form = Named(data={"name": value})

    assert not form.is_valid()
    assert list(form.errors) == ["name"]


def test_a_text_field_still_takes_a_string():
    from common.api import serializers

    class Named(serializers.Serializer):
        name = serializers.CharField()

    form = Named(data={"name": "Zoë"})

    assert form.is_valid(), form.errors
    assert form.validated_data == {"name": "Zoë"}
