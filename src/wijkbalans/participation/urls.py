"""Public pages under /meedoen/: neighbourhood pages, consultations, proposals, budget
rounds, registration of residents, moderation, and "you said, we did"."""

app_name = "participation"
urlpatterns: list = []
