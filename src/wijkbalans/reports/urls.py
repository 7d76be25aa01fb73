"""Pages under /rapportage/: the progress report, its narrative and its versions."""

app_name = "reports"
urlpatterns: list = []
