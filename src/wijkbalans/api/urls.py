from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .auth import TokenView

app_name = "api"
urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
