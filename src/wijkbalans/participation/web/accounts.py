"""Residents' accounts: register with an e-mail address, a postcode and a password;
confirm the address with the link in the e-mail (``/meedoen/bevestigen/<token>/``, the
link the back end's mail points to); log in and out; change the postcode; and the page
that says what is stored and why.

Staff of the municipality and its partners keep their own log-in (``accounts:login``);
the residents' log-in asks for the e-mail address instead of a user name.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, ratelimit
from ..errors import ParticipationError, RateLimited
from ..ratelimit import client_ip
from ..services import identity
from .common import page, require_login, safe_next, show_error, viewer_of
from .forms import EmailForm, LoginForm, PostcodeForm, RegisterForm


def verify_link(request) -> str:
    """The absolute address of the confirmation page, with ``{token}`` for the token."""
    path = reverse("participation:verify", kwargs={"token": "TOKEN"})
    return request.build_absolute_uri(path).replace("TOKEN", "{token}")


def register(request):
    if permissions.resident_profile_of(request.user) is not None:
        return redirect("participation:profile")
    form = RegisterForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity.resident_register(email=data["email"], postcode=data["postcode"],
                                       password=data["password"],
                                       verify_link=verify_link(request),
                                       ip=client_ip(request))
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect("participation:register_sent")
    if form.is_bound and "password" in form.errors:
        # A refused password is typed again; any other field's error keeps it.
        form.data = form.data.copy()
        form.data["password"] = ""
    return page(request, "participation/register.html", {"form": form}, error=error,
                forms=[form])


def register_sent(request):
    return render(request, "participation/register_sent.html", {"form": EmailForm()})


def resend(request):
    """Send the confirmation link again. The answer is the same whether or not the address
    has an account waiting, so nobody can test addresses here."""
    form = EmailForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            identity.resident_verification_resend(email=form.cleaned_data["email"],
                                                  verify_link=verify_link(request),
                                                  ip=client_ip(request))
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return render(request, "participation/register_sent.html",
                          {"form": EmailForm(), "resent": True})
    return page(request, "participation/resend.html", {"form": form}, error=error,
                forms=[form])


def verify(request, token: str):
    """Opening the link confirms the address (once; opening it again says the same)."""
    try:
        identity.resident_verify(token=token)
    except ParticipationError as refused:
        return page(request, "participation/verify.html",
                    {"problem": refused.message, "form": EmailForm()}, error=refused)
    return render(request, "participation/verify.html",
                  {"login_form": LoginForm(), "next": reverse("participation:index")})


def login_view(request):
    """Log in with the e-mail address and password. Failed attempts are limited per
    address typed and per IP address (``ratelimit``, kind ``login``, shared with the
    API); a refused attempt says when to try again (429, ``Retry-After``)."""
    form = LoginForm(request.POST or None)
    fallback = reverse("participation:index")
    error = None
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], client_ip(request)
        try:
            ratelimit.check("login", email=email, ip=ip)
            user = identity.resident_authenticate(email=email,
                                                  password=form.cleaned_data["password"])
            if user is None:
                ratelimit.hit("login", email=email, ip=ip)
        except RateLimited as refused:
            error = refused
            form.add_error(None, refused.message)
        else:
            if user is not None:
                ratelimit.reset("login", email=email)
                login(request, user)
                return redirect(safe_next(request, fallback))
            # One message for a wrong address, a wrong password and an unconfirmed
            # account, so the page does not tell which addresses have an account.
            form.add_error(None, _("The e-mail address or the password is not right. Did "
                                   "you register just now? Then first open the link in the "
                                   "e-mail we sent you."))
    return page(request, "participation/login.html",
                {"form": form, "next": safe_next(request, "")}, error=error, forms=[form])


@require_POST
def logout_view(request):
    logout(request)
    return redirect("participation:index")


def privacy(request):
    return render(request, "participation/privacy.html", {})


def profile(request):
    """The resident's own details: the e-mail address, the postcode and the buurt it lies
    in; a resident who moved declares the new postcode here."""
    back = require_login(request)
    if back is not None:
        return back
    resident = permissions.resident_profile_of(request.user)
    form = PostcodeForm(request.POST or None)
    error = None
    if resident is not None and request.method == "POST" and form.is_valid():
        try:
            identity.resident_postcode_change(acting_user=request.user,
                                              postcode=form.cleaned_data["postcode"])
        except ParticipationError as refused:
            error = refused
            show_error(form, refused)
        else:
            return redirect(reverse("participation:profile") + "?opgeslagen=1")
    return page(request, "participation/profile.html", {
        "resident": resident, "form": form, "viewer": viewer_of(request.user),
        "saved": request.GET.get("opgeslagen") == "1"}, error=error, forms=[form])
