"""API of resident participation: consultations, proposals, budget rounds."""

urlpatterns: list = []
