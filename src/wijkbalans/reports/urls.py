"""Pages under /rapportage/: the progress report, its narrative and its versions."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.version_list, name="list"),
    path("nieuw/", views.version_new, name="new"),
    path("<int:pk>/", views.version_detail, name="detail"),
    path("<int:pk>/rapport.pdf", views.version_pdf, name="pdf"),
    path("<int:pk>/rapport.html", views.version_html, name="html"),
    path("<int:pk>/controle/", views.version_check, name="check"),
    path("teksten/<slug:slug>/", views.narrative_list, name="texts"),
    path("teksten/<slug:slug>/<str:section>/<str:lang>/", views.narrative_edit,
         name="text_edit"),
]
