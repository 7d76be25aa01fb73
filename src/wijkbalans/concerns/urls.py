"""Pages under /signalen/: recording a concern, the routed partner's list, the early
warning picture, and the knowledge library."""

app_name = "concerns"
urlpatterns: list = []
