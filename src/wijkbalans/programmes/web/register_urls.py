"""URLs of the programme pages: the register, results and money.

The register's own pages take fixed first segments (``nieuw``, ``dekking``,
``financiering``, and the coherence view's ``samenhang``); an activity's code never
matches one of them (:class:`ActivityCode`), so ``<code>/`` does not swallow those pages
whatever order the URL lists are in.
"""

from django.urls import path, register_converter

from . import money, register, results
from .forms import RESERVED_CODES


class ActivityCode:
    """A slug that is not one of the register's fixed first segments."""

    regex = "(?!(?:" + "|".join(sorted(RESERVED_CODES)) + ")/)[-a-zA-Z0-9_]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ActivityCode, "activity")

urlpatterns: list = [
    path("", register.register_list, name="list"),
    path("nieuw/", register.activity_new, name="activity_new"),
    path("dekking/", money.coverage_page, name="coverage"),
    path("dekking/dekking.csv", money.coverage_csv, name="coverage_csv"),
    path("dekking/dekking.json", money.coverage_json, name="coverage_json"),
    path("dekking/grafiek.svg", money.coverage_chart, name="coverage_chart"),
    path("financiering/", money.sources, name="sources"),
    path("financiering/<slug:code>/", money.source_edit, name="source_edit"),
    path("<activity:code>/", register.activity_detail, name="activity"),
    path("<activity:code>/bewerken/", register.activity_edit, name="activity_edit"),
    path("<activity:code>/verwijderen/", register.activity_delete, name="activity_delete"),
    path("<activity:code>/openbaar/", register.activity_public, name="activity_public"),
    path("<activity:code>/partners/", register.partner_add, name="partner_add"),
    path("<activity:code>/partners/<int:pk>/verwijderen/", register.partner_remove,
         name="partner_remove"),
    path("<activity:code>/resultaten/nieuw/", results.result_new, name="result_new"),
    path("<activity:code>/resultaten/<int:pk>/", results.result_edit, name="result_edit"),
    path("<activity:code>/rapportage/nieuw/", results.result_update_new,
         name="result_update_new"),
    path("<activity:code>/rapportage/<int:pk>/bewerken/", results.result_update_edit,
         name="result_update_edit"),
    path("<activity:code>/rapportage/<int:pk>/beoordelen/", results.result_update_review,
         name="result_update_review"),
    path("<activity:code>/perioden/<int:pk>/vergrendelen/", results.period_lock,
         name="period_lock"),
    path("<activity:code>/begroting/nieuw/", money.budget_line_new, name="budget_line_new"),
    path("<activity:code>/begroting/<int:pk>/", money.budget_line_edit,
         name="budget_line_edit"),
    path("<activity:code>/begroting/<int:pk>/verwijderen/", money.budget_line_delete,
         name="budget_line_delete"),
]
