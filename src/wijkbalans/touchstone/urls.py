"""Pages of the touchstone under /toetssteen/ (docs/touchstone.md).

``vergelijk/`` comes before ``<code>/``: an activity with the code ``vergelijk`` would be
shadowed by the comparison, so the register should not give that code.
"""

from django.urls import path

from .web import views

app_name = "touchstone"
urlpatterns = [
    path("", views.index, name="index"),
    path("vergelijk/", views.compare, name="compare"),
    path("<slug:code>/", views.plan, name="plan"),
    path("<slug:code>/beoordelen/", views.assess, name="assess"),
    path("<slug:code>/besluit/", views.decide, name="decide"),
]
