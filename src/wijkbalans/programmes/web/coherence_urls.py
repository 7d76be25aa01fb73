"""URLs of the programme pages: coherence."""

from django.urls import path

from . import coherence

urlpatterns: list = [
    path("samenhang/", coherence.coherence_page, name="coherence"),
    path("samenhang/samenhang.csv", coherence.coherence_csv, name="coherence_csv"),
]
