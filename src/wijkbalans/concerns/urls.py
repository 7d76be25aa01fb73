"""Pages under /signalen/: recording a concern, one's own concerns, the partner's inbox,
the early-warning picture, and the knowledge library."""

from django.urls import path

from .web import library, overview, partner, record

app_name = "concerns"
urlpatterns = [
    path("", library.hub, name="home"),
    path("nieuw/", record.concern_new, name="new"),
    path("nieuw/buurten.geojson", record.buurten_geojson, name="buurten_geojson"),
    path("mijn/", record.mine, name="mine"),
    path("mijn/<int:pk>/", record.mine_detail, name="mine_detail"),
    path("mijn/<int:pk>/tekst/", record.mine_text, name="mine_text"),
    path("partner/", partner.inbox, name="inbox"),
    path("partner/<int:pk>/", partner.assignment_detail, name="assignment"),
    path("partner/<int:pk>/tekst/", partner.assignment_text, name="assignment_text"),
    path("partner/<int:pk>/opvolging/", partner.assignment_followup,
         name="assignment_followup"),
    path("overzicht/", overview.overview, name="overview"),
    path("overzicht/grafiek.svg", overview.overview_chart, name="overview_chart"),
    path("kennis/", library.library, name="library"),
]
