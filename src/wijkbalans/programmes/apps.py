from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "wijkbalans.programmes"
    verbose_name = _("Programmes, the Local Alliance and the money")
