from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StackingConfig(AppConfig):
    name = "wijkbalans.stacking"
    verbose_name = _("Stacking, gaps and targets")
