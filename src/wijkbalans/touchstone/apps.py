from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouchstoneConfig(AppConfig):
    name = "wijkbalans.touchstone"
    verbose_name = _("Touchstone")
