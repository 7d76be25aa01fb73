from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "wijkbalans.participation"
    verbose_name = _("Residents: consultation, proposals and neighbourhood budgets")
