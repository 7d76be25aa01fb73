from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    name = "wijkbalans.concerns"
    verbose_name = _("Early concerns and knowledge for professionals")
