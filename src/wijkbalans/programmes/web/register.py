"""Pages of the register under /programma/: the tree with its filters, an activity's page
(what, who, where, themes, evidence, progress, results, money), and the forms that create
and change activities and their partners.

Views are thin: they read through ``selectors`` and write through ``services``. Every
control is shown only to whom ``permissions`` allows it, and the services check again: a
forbidden POST is a 403 and changes nothing. An edit names the version it was read at; when
someone else saved in between, the page says so and shows the current values.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbalans.accounts.models import Membership, Role

from .. import permissions, selectors
from ..errors import ConflictError, PermissionRefused, ProgrammeError
from ..models import Activity
from ..services import register as services
from . import activity_page
from .common import activity_matches, activity_or_404, conflict_context, refuse
from .forms import ActivityEditForm, ActivityForm, PartnerForm, RegisterFilterForm, show_error


def _owner_ids(user) -> list[int] | None:
    """Organisations whose activities ``user`` may create; None means every one."""
    if permissions.is_admin(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(set(Membership.objects.filter(
        user=user, role=Role.PROGRAMME_STAFF).values_list("organisation_id", flat=True)))


def may_create(user) -> bool:
    return permissions.is_admin(user) or bool(_owner_ids(user))


def register_list(request):
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    tree = selectors.activity_tree(user=request.user)
    activities = [a for a, _depth in tree]
    prefetch_related_objects(activities, "owner", "areas", "area_sets__members")
    filtering = any(filters.values())
    shown: set[int] = set()
    if filtering:
        by_pk = {a.pk: a for a in activities}
        for a in activities:
            if activity_matches(a, filters):
                node = a
                while node is not None and node.pk not in shown:
                    shown.add(node.pk)
                    node = by_pk.get(node.parent_id)
    rows = [{"activity": a, "depth": depth,
             "context": filtering and not activity_matches(a, filters),
             "themes": activity_page.theme_names(a.themes)}
            for a, depth in tree if not filtering or a.pk in shown]
    return render(request, "programmes/register.html", {
        "form": form, "rows": rows, "filtering": filtering,
        "matches": sum(1 for r in rows if not r["context"]),
        "may_create": may_create(request.user),
        "may_read_money": permissions.may_read_money(request.user),
    }, status=400 if form.errors else 200)


def activity_detail(request, code: str):
    activity = activity_or_404(request.user, code)
    context = activity_page.build(activity, request.user)
    context["partner_form"] = PartnerForm() if context["may"]["edit"] else None
    return render(request, "programmes/activity.html", context)


def _parents(user, exclude: Activity | None = None):
    tree = selectors.activity_tree(user=user)
    if exclude is None:
        return tree
    below = {exclude.pk}
    for activity, _depth in tree:  # tree order: a parent comes before its parts
        if activity.parent_id in below:
            below.add(activity.pk)
    return [(a, d) for a, d in tree if a.pk not in below]


@login_required
def activity_new(request):
    if not may_create(request.user):
        refuse(_("Only programme staff may add activities to the register."))
    owner_ids = _owner_ids(request.user)
    initial = {"parent": request.GET.get("parent", ""),
               "owner": str(owner_ids[0]) if owner_ids and len(owner_ids) == 1 else ""}
    form = ActivityForm(request.POST or None, owner_ids=owner_ids,
                        parents=_parents(request.user),
                        may_mark_public=permissions.may_mark_public(request.user),
                        initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(acting_user=request.user,
                                                **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The activity %(code)s is in the register.")
                             % {"code": activity.code})
            return redirect("programmes:activity", activity.code)
    return render(request, "programmes/activity_form.html", {"form": form, "activity": None},
                  status=400 if form.errors else 200)


def _activity_conflict(error: ConflictError, form) -> dict:
    current = dict(error.current or {})
    parent = current.get("parent_id")
    if parent:
        current["parent"] = Activity.objects.filter(pk=parent).values_list(
            "code", flat=True).first()
    error.current = current
    return conflict_context(error, form)


@login_required
def activity_edit(request, code: str):
    activity = activity_or_404(request.user, code)
    if not permissions.may_edit_register(request.user, activity):
        refuse(_("Only programme staff of %(owner)s may change this activity.")
               % {"owner": activity.owner})
    owner_ids = _owner_ids(request.user)
    if owner_ids is not None:
        owner_ids = sorted({*owner_ids, activity.owner_id})
    form = ActivityEditForm(request.POST or None, owner_ids=owner_ids,
                            parents=_parents(request.user, exclude=activity),
                            may_mark_public=permissions.may_mark_public(request.user),
                            initial=ActivityForm.initial_from(activity))
    context = {"form": form, "activity": activity}
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.activity_update(
                acting_user=request.user, activity=activity,
                expected_version=form.cleaned_data["version"], **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ConflictError as error:
            context.update(_activity_conflict(error, form))
            return render(request, "programmes/activity_form.html", context, status=409)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("programmes:activity", updated.code)
    return render(request, "programmes/activity_form.html", context,
                  status=400 if form.errors else 200)


@login_required
def activity_delete(request, code: str):
    activity = activity_or_404(request.user, code)
    if not permissions.may_edit_register(request.user, activity):
        refuse(_("Only programme staff of %(owner)s may delete this activity.")
               % {"owner": activity.owner})
    problem = None
    if request.method == "POST":
        try:
            services.activity_delete(acting_user=request.user, activity=activity)
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            problem = error.message
        else:
            messages.success(request, _("The activity %(code)s is deleted.") % {"code": code})
            return redirect("programmes:list")
    return render(request, "programmes/activity_delete.html",
                  {"activity": activity, "problem": problem}, status=400 if problem else 200)


@login_required
@require_POST
def activity_public(request, code: str):
    activity = activity_or_404(request.user, code)
    if not permissions.may_mark_public(request.user):
        refuse(_("Only programme staff of the municipality may make an activity public."))
    public = request.POST.get("public") == "1"
    try:
        services.activity_update(acting_user=request.user, activity=activity,
                                 expected_version=_int(request.POST.get("version")),
                                 public=public)
    except PermissionRefused as error:
        refuse(error)
    except ProgrammeError as error:  # a conflict too: someone saved in between
        messages.error(request, error.message)
    else:
        messages.success(request, _("Everyone can now see this activity.") if public
                         else _("Only members of the alliance can now see this activity."))
    return redirect("programmes:activity", code)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def partner_add(request, code: str):
    activity = activity_or_404(request.user, code)
    if not permissions.may_edit_register(request.user, activity):
        refuse(_("Only programme staff of %(owner)s may change the partners.")
               % {"owner": activity.owner})
    form = PartnerForm(request.POST)
    if form.is_valid():
        try:
            services.activity_partner_add(acting_user=request.user, activity=activity,
                                          **form.service_arguments())
        except PermissionRefused as error:
            refuse(error)
        except ProgrammeError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The partner is added."))
            return redirect("programmes:activity", code)
    context = activity_page.build(activity, request.user)
    context["partner_form"] = form
    return render(request, "programmes/activity.html", context, status=400)


@login_required
@require_POST
def partner_remove(request, code: str, pk: int):
    activity = activity_or_404(request.user, code)
    if not permissions.may_edit_register(request.user, activity):
        refuse(_("Only programme staff of %(owner)s may change the partners.")
               % {"owner": activity.owner})
    partner = activity.partners.filter(pk=pk).first()
    if partner is None:
        raise Http404(_("No such partner role"))
    try:
        services.activity_partner_remove(acting_user=request.user, partner=partner)
    except PermissionRefused as error:
        refuse(error)
    except ProgrammeError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The partner role is removed."))
    return redirect("programmes:activity", code)
