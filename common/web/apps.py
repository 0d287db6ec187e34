from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The server-rendered pages every host shares: the base layout and the front page.
    Each domain app will keep its own pages beside its API (``<app>/web/``), with
    templates that extend ``web/base.html``."""

    name = "common.web"
    label = "web"
    verbose_name = _("Web pages")
