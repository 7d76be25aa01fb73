"""API of early concerns: submit one, and the suppressed aggregates."""

urlpatterns: list = []
