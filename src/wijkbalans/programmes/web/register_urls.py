"""URLs of the programme pages: register."""

urlpatterns: list = []
