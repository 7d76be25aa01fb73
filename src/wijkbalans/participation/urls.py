"""Public pages under /meedoen/: neighbourhood pages, consultations, proposals, budget
rounds, registration of residents, moderation, "you said, we did", and the staff pages
under ``beheer/`` where the municipality sets up consultations and budget rounds.

``bevestigen/<token>/`` (name ``verify``) is the link in the confirmation e-mail; the back
end builds it by this name.
"""

from django.urls import path

from .web import accounts, areas, budgets, consultations, moderation, outcomes, proposals, staff

app_name = "participation"
urlpatterns = [
    path("", areas.index, name="index"),
    path("wijk/<str:code>/", areas.area_page, name="area"),
    path("wijk/<str:code>/voorstellen/", proposals.proposal_list, name="proposals"),
    # Residents' accounts.
    path("aanmelden/", accounts.register, name="register"),
    path("aanmelden/verstuurd/", accounts.register_sent, name="register_sent"),
    path("aanmelden/nieuwe-link/", accounts.resend, name="resend"),
    path("bevestigen/<str:token>/", accounts.verify, name="verify"),
    path("inloggen/", accounts.login_view, name="login"),
    path("uitloggen/", accounts.logout_view, name="logout"),
    path("privacy/", accounts.privacy, name="privacy"),
    path("mijn-gegevens/", accounts.profile, name="profile"),
    # Consultations, comments, proposals.
    path("raadpleging/<int:pk>/", consultations.consultation_page, name="consultation"),
    path("reactie/<int:pk>/melden/", consultations.comment_flag, name="comment_flag"),
    path("voorstel/nieuw/", proposals.proposal_new, name="proposal_new"),
    path("voorstel/<int:pk>/", proposals.proposal_page, name="proposal"),
    path("voorstel/<int:pk>/steun/", proposals.proposal_support, name="proposal_support"),
    path("voorstel/<int:pk>/melden/", consultations.proposal_flag, name="proposal_flag"),
    path("voorstel/<int:pk>/in-behandeling/", proposals.proposal_review,
         name="proposal_review"),
    # Budget rounds.
    path("budget/<int:pk>/", budgets.round_page, name="round"),
    path("budget/<int:pk>/gestemd/", budgets.ballot_done, name="ballot_done"),
    path("budget/<int:pk>/sluiten/", budgets.round_close, name="round_close"),
    # Moderation and outcomes (programme staff).
    path("moderatie/", moderation.queue, name="moderation"),
    path("moderatie/<str:kind>/<int:pk>/", moderation.moderate, name="moderate"),
    path("uitkomst/nieuw/", outcomes.outcome_new, name="outcome_new"),
    # Setting things up (programme staff of the municipality).
    path("beheer/", staff.overview, name="staff"),
    path("beheer/raadpleging/nieuw/", staff.consultation_new, name="staff_consultation_new"),
    path("beheer/raadpleging/<int:pk>/", staff.consultation_edit, name="staff_consultation"),
    path("beheer/budget/nieuw/", staff.round_new, name="staff_round_new"),
    path("beheer/budget/<int:pk>/", staff.round_edit, name="staff_round"),
    path("beheer/budget/<int:pk>/publiceren/", staff.round_publish,
         name="staff_round_publish"),
    path("beheer/budget/<int:pk>/project/nieuw/", staff.project_new,
         name="staff_project_new"),
    path("beheer/project/<int:pk>/", staff.project_edit, name="staff_project"),
    path("beheer/project/<int:pk>/verwijderen/", staff.project_remove,
         name="staff_project_remove"),
]
