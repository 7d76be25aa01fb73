from django.urls import path
from django.views.generic import TemplateView

from .views import compare, home, indicator, profile, search, stacking

app_name = "monitor"
urlpatterns = [
    path("", home.home, name="home"),
    path("kaart.geojson", home.map_geojson, name="map_geojson"),
    path("kaart.csv", home.map_csv, name="map_csv"),
    path("kaart.svg", home.map_svg, name="map_svg"),
    path("gebied/<str:key>/", profile.profile, name="profile"),
    path("gebied/<str:key>/cijfers.csv", profile.profile_csv, name="profile_csv"),
    path("gebied/<str:key>/kaart.geojson", profile.profile_geojson, name="profile_geojson"),
    path("gebied/<str:key>/grafiek/<str:indicator>.svg", profile.profile_chart,
         name="profile_chart"),
    path("gebied/<str:key>/doel/<int:pk>.svg", profile.target_chart, name="target_chart"),
    path("vergelijk/", compare.compare, name="compare"),
    path("vergelijk/grafiek.svg", compare.compare_chart, name="compare_chart"),
    path("vergelijk/cijfers.csv", compare.compare_csv, name="compare_csv"),
    path("indicator/<str:code>/", indicator.indicator_page, name="indicator"),
    path("indicator/<str:code>/ranglijst.csv", indicator.indicator_csv, name="indicator_csv"),
    path("indicator/<str:code>/verdeling.svg", indicator.indicator_histogram,
         name="indicator_histogram"),
    path("zoek/", search.search, name="search"),
    path("stapeling/", stacking.stacking_page, name="stacking"),
    path("stapeling/kaart.geojson", stacking.stacking_geojson, name="stacking_geojson"),
    path("stapeling/ranglijst.csv", stacking.stacking_csv, name="stacking_csv"),
    path("stapeling/methode/",
         TemplateView.as_view(template_name="monitor/stacking_method.html"),
         name="stacking_method"),
]
