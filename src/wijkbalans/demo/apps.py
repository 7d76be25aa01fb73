from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Holds the ``demo`` management command; the app has no models."""

    name = "wijkbalans.demo"
    verbose_name = "Demostad"
