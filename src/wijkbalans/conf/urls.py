from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("wijkbalans.monitor.urls")),
    path("gegevens/", include("wijkbalans.core.urls")),
    path("accounts/", include("wijkbalans.accounts.urls")),
    path("evaluaties/", include("wijkbalans.evaluations.urls")),
    path("programma/", include("wijkbalans.programmes.urls")),
    path("signalen/", include("wijkbalans.concerns.urls")),
    path("meedoen/", include("wijkbalans.participation.urls")),
    path("rapportage/", include("wijkbalans.reports.urls")),
    path("toetssteen/", include("wijkbalans.touchstone.urls")),
    path("api/v1/", include("wijkbalans.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
]
