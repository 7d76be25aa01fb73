"""URLs of the programme pages: coherence."""

urlpatterns: list = []
