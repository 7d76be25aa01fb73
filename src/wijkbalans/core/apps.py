from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wijkbalans.core"
    verbose_name = "wijkbalans"
