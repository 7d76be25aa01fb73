"""API of the programme register, results and money."""

urlpatterns: list = []
