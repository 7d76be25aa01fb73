"""Writes of the programme register: activities (programme, action line, intervention, to
any depth) and their partners. Each function checks the rules of ``permissions``,
validates everything (``ProgrammeError`` naming the field, nothing written), writes in one
transaction and records the change in the audit log with before and after
(``programmes.activity.create``, ``.update``, ``.delete``, ``programmes.activity_partner.add``,
``.remove``).

Validation rules, beyond the choices of the model:

- the code is a slug, unique; the title is not empty;
- a child does not rank above its parent: programme, then action line, then intervention
  (an intervention may hold interventions, a programme sub-programmes);
- ``end`` is not before ``start``; a child's start and end (where set) lie inside its
  parent's start and end (where set), and a parent's new dates keep its children inside;
- a new parent is not the activity itself or one of its parts (no cycles);
- areas are known CBS codes (``areas.Area``), area sets known slugs, themes keys of the
  indicator catalogue; unknown ones are named;
- a rated evidence level (anything but "not rated") names the databank whose recognition
  committee rated it: in the Dutch recognition system every rung, "goed beschreven"
  included, is granted by the committee of one of the databanks;
- only programme staff of a municipality change ``public`` (either way); when ``public`` is
  the only change, that is all they need, so the municipality decides what the public sees
  of activities that partners own.

An update names the ``version`` it was read at; when the row moved on meanwhile it raises
:class:`ConflictError` with the row as it is now and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkbalans.accounts.audit import audit_record, snapshot
from wijkbalans.accounts.models import Organisation
from wijkbalans.areas import codes as area_codes_module
from wijkbalans.areas.models import Area, AreaSet
from wijkbalans.indicators.catalogue import THEMES

from .. import permissions
from ..errors import ConflictError, PermissionRefused, ProgrammeError
from ..models import Activity, ActivityPartner, ResultUpdate

FIELDS = ("code", "kind", "title", "owner", "parent", "description", "status", "start", "end",
          "area_codes", "area_set_slugs", "themes", "links", "evidence_level",
          "evidence_databank", "evidence_url", "weight", "public")
SCALARS = tuple(f for f in FIELDS if f not in ("area_codes", "area_set_slugs"))
KIND_RANK = {Activity.Kind.PROGRAMME: 0, Activity.Kind.ACTION_LINE: 1,
             Activity.Kind.INTERVENTION: 2}
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_LINKS = 50
_url = URLValidator(schemes=["http", "https"])


# -- shared helpers (results.py uses them too) -------------------------------------------

def refuse(message: str, field: str | None = None):
    raise ProgrammeError(message, field=field)


def parse_decimal(value, *, field: str, places: int, max_digits: int,
                  minimum: Decimal | None = None) -> Decimal | None:
    """``value`` as an exact Decimal (None for None or ""), or ProgrammeError naming
    ``field``, with ``places`` decimals. Strings are read with ``Decimal(str)``; a float
    goes through its shortest text, so 0.1 is 0.1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        refuse(_("Expected a number, found %(value)r.") % {"value": value}, field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        refuse(_("Expected a number such as 12.5, found %(value)r.") % {"value": value}, field)
    if not number.is_finite():
        refuse(_("Expected a number, found %(value)r.") % {"value": value}, field)
    if number.as_tuple().exponent < -places:
        refuse(_("At most %(places)d decimals, found %(value)s.")
               % {"places": places, "value": number}, field)
    if abs(number) >= Decimal(10) ** (max_digits - places):
        refuse(_("The number %(value)s is too large.") % {"value": number}, field)
    if minimum is not None and number < minimum:
        refuse(_("Expected at least %(minimum)s, found %(value)s.")
               % {"minimum": minimum, "value": number}, field)
    # As the database gives it back, so that before and after in the audit log compare.
    return number.quantize(Decimal(1).scaleb(-places))


def choice(value, choices, field: str) -> str:
    if value not in choices.values:
        refuse(_("Unknown value %(value)r; expected one of %(choices)s.")
               % {"value": value, "choices": ", ".join(v or '""' for v in choices.values)},
               field)
    return value


def text(value, field: str, *, max_length: int | None = None, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        refuse(_("Expected text, found %(value)r.") % {"value": value}, field)
    value = value.strip()
    if required and not value:
        refuse(_("This field is required."), field)
    if max_length and len(value) > max_length:
        refuse(_("At most %(count)d characters, found %(found)d.")
               % {"count": max_length, "found": len(value)}, field)
    return value


def activity_snapshot(activity: Activity) -> dict:
    """The activity's fields with its areas and area sets, for the audit log."""
    data = snapshot(activity)
    data["area_codes"] = sorted(activity.areas.values_list("code", flat=True))
    data["area_set_slugs"] = sorted(activity.area_sets.values_list("slug", flat=True))
    return data


def _refused(message: str, field: str | None = None):
    raise PermissionRefused(message, field=field)


# -- validation -------------------------------------------------------------------------

def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
        refuse(_("Expected a date (YYYY-MM-DD), found %(value)r.") % {"value": value}, field)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            refuse(_("Expected a date (YYYY-MM-DD), found %(value)r.") % {"value": value},
                   field)
    return value


def _keys(values, field: str) -> list[str]:
    """A list of codes from a list, or from one text separated by commas or spaces."""
    if values is None:
        return []
    if isinstance(values, str):
        values = re.split(r"[,;\s]+", values)
    try:
        items = list(values)
    except TypeError:
        refuse(_("Expected a list, found %(value)r.") % {"value": values}, field)
    if not all(isinstance(v, str) for v in items):
        refuse(_("Expected a list of codes, found %(value)r.") % {"value": items}, field)
    return list(dict.fromkeys(v.strip() for v in items if v.strip()))


def _areas(values) -> list[Area]:
    wanted = [area_codes_module.normalise(c) for c in _keys(values, "area_codes")]
    found = {a.code: a for a in Area.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        refuse(_("Unknown area code(s): %(codes)s.") % {"codes": ", ".join(unknown)},
               "area_codes")
    return [found[c] for c in wanted]


def _area_sets(values) -> list[AreaSet]:
    wanted = _keys(values, "area_set_slugs")
    found = {s.slug: s for s in AreaSet.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        refuse(_("Unknown area set(s): %(slugs)s.") % {"slugs": ", ".join(unknown)},
               "area_set_slugs")
    return [found[s] for s in wanted]


def _themes(values) -> list[str]:
    themes = _keys(values, "themes")
    unknown = [t for t in themes if t not in THEMES]
    if unknown:
        refuse(_("Unknown theme(s): %(themes)s; expected keys such as %(known)s.")
               % {"themes": ", ".join(unknown), "known": ", ".join(THEMES)}, "themes")
    return themes


def _links(values) -> list[dict]:
    if values is None:
        return []
    if isinstance(values, str | dict) or not hasattr(values, "__iter__"):
        refuse(_("Expected a list of links, each with a title and a url."), "links")
    links = []
    for item in values:
        title, url = ("", item) if isinstance(item, str) else (
            (item.get("title", ""), item.get("url", "")) if isinstance(item, dict) else ("", None))
        title = text(title, "links", max_length=200)
        try:
            _url(url if isinstance(url, str) else "")
        except ValidationError:
            refuse(_("Expected a web address starting with http:// or https://, "
                     "found %(value)r.") % {"value": url}, "links")
        links.append({"title": title, "url": url})
    if len(links) > MAX_LINKS:
        refuse(_("At most %(count)d links.") % {"count": MAX_LINKS}, "links")
    return links


def _inside(start, end, outer_start, outer_end, *, what: str, field_start="start",
            field_end="end"):
    """Refuse when a set date lies outside the set bounds of ``outer``."""
    for field, value in ((field_start, start), (field_end, end)):
        if value is None:
            continue
        if outer_start is not None and value < outer_start:
            refuse(_("%(date)s lies before the start of %(what)s (%(bound)s).")
                   % {"date": value, "what": what, "bound": outer_start}, field)
        if outer_end is not None and value > outer_end:
            refuse(_("%(date)s lies after the end of %(what)s (%(bound)s).")
                   % {"date": value, "what": what, "bound": outer_end}, field)


def _clean(values: dict, *, activity: Activity | None = None) -> dict:
    """Every field checked and normalised; ``areas`` and ``area_sets`` as rows."""
    v = dict(values)
    v["code"] = text(v["code"], "code", required=True)
    if len(v["code"]) > 60 or not SLUG.match(v["code"]):
        refuse(_("Expected a short code of letters, digits, - and _ (at most 60), "
                 "found %(value)r.") % {"value": v["code"]}, "code")
    if Activity.objects.filter(code=v["code"]).exclude(
            pk=activity.pk if activity else None).exists():
        refuse(_("The code %(code)s is in use.") % {"code": v["code"]}, "code")
    choice(v["kind"], Activity.Kind, "kind")
    v["title"] = text(v["title"], "title", max_length=200, required=True)
    v["description"] = text(v["description"], "description")
    choice(v["status"], Activity.Status, "status")
    v["start"], v["end"] = _date(v["start"], "start"), _date(v["end"], "end")
    if v["start"] and v["end"] and v["end"] < v["start"]:
        refuse(_("The end (%(end)s) lies before the start (%(start)s).")
               % {"end": v["end"], "start": v["start"]}, "end")
    parent = v["parent"]
    if parent is not None:
        if KIND_RANK[v["kind"]] < KIND_RANK[parent.kind]:
            refuse(_("An activity of kind %(kind)s cannot be part of one of kind %(parent)s.")
                   % {"kind": Activity.Kind(v["kind"]).label,
                      "parent": Activity.Kind(parent.kind).label}, "kind")
        _inside(v["start"], v["end"], parent.start, parent.end,
                what=_("the parent %(code)s") % {"code": parent.code})
    if activity is not None:
        _check_children(activity, v)
    v["areas"], v["area_sets"] = _areas(v.pop("area_codes")), _area_sets(v.pop("area_set_slugs"))
    v["themes"], v["links"] = _themes(v["themes"]), _links(v["links"])
    choice(v["evidence_level"], Activity.Evidence, "evidence_level")
    v["evidence_databank"] = v["evidence_databank"] or ""
    choice(v["evidence_databank"], Activity.Databank, "evidence_databank")
    if v["evidence_level"] != Activity.Evidence.NOT_RATED and not v["evidence_databank"]:
        refuse(_("A rated intervention names the databank that rated it."),
               "evidence_databank")
    v["evidence_url"] = text(v["evidence_url"], "evidence_url", max_length=200)
    if v["evidence_url"]:
        try:
            _url(v["evidence_url"])
        except ValidationError:
            refuse(_("Expected a web address starting with http:// or https://, "
                     "found %(value)r.") % {"value": v["evidence_url"]}, "evidence_url")
    v["weight"] = parse_decimal(v["weight"], field="weight", places=3, max_digits=8,
                                minimum=Decimal(0))
    if not isinstance(v["public"], bool):
        refuse(_("Expected yes or no (true or false), found %(value)r.")
               % {"value": v["public"]}, "public")
    return v


def _check_children(activity: Activity, v: dict) -> None:
    for child in activity.children.all():
        if KIND_RANK[child.kind] < KIND_RANK[v["kind"]]:
            refuse(_("Its part %(code)s is of kind %(kind)s, which cannot be part of one of "
                     "kind %(new)s.")
                   % {"code": child.code, "kind": child.get_kind_display(),
                      "new": Activity.Kind(v["kind"]).label}, "kind")
        for date in (child.start, child.end):
            field = ("start" if date is not None and v["start"] and date < v["start"] else
                     "end" if date is not None and v["end"] and date > v["end"] else None)
            if field:
                refuse(_("The dates would leave its part %(code)s (%(start)s to %(end)s) "
                         "outside.") % {"code": child.code, "start": child.start or "…",
                                        "end": child.end or "…"}, field)


def _no_cycle(activity: Activity, parent: Activity | None) -> None:
    if parent is None:
        return
    parents = dict(Activity.objects.values_list("id", "parent_id"))
    node, seen = parent.pk, set()
    while node is not None and node not in seen:
        if node == activity.pk:
            refuse(_("%(parent)s is part of %(code)s; an activity cannot be part of itself.")
                   % {"parent": parent.code, "code": activity.code}, "parent")
        seen.add(node)
        node = parents.get(node)


def stored_activity(activity, *, field: str | None = None) -> Activity:
    """The activity as stored now (rights are checked on the stored owner)."""
    found = (Activity.objects.filter(pk=activity.pk).first()
             if isinstance(activity, Activity) else None)
    if found is None:
        refuse(_("Expected an activity of the register."), field)
    return found


def _check_types(owner, parent) -> None:
    if not isinstance(owner, Organisation) or owner.pk is None:
        refuse(_("Expected an organisation as owner."), "owner")
    if parent is not None and (not isinstance(parent, Activity) or parent.pk is None):
        refuse(_("Expected an activity of the register as parent."), "parent")


# -- activities -------------------------------------------------------------------------

def activity_create(*, acting_user, code, kind, title, owner, parent=None, description="",
                    status="planned", start=None, end=None, area_codes=(), area_set_slugs=(),
                    themes=(), links=(), evidence_level="not_rated", evidence_databank="",
                    evidence_url="", weight=None, public=False) -> Activity:
    values = {k: v for k, v in locals().items() if k in FIELDS}
    _check_types(owner, parent)
    if parent is not None:
        parent = values["parent"] = stored_activity(parent, field="parent")
    if not permissions.may_edit_register(acting_user, owner_id=owner.pk, parent=parent):
        _refused(_("Only programme staff of the owner organisation (and of the owner of the "
                   "parent) may add an activity."))
    if public is True and not permissions.may_mark_public(acting_user):
        _refused(_("Only programme staff of the municipality may make an activity public."),
                 "public")
    v = _clean(values)
    areas, area_sets = v.pop("areas"), v.pop("area_sets")
    with transaction.atomic():
        try:
            with transaction.atomic():
                activity = Activity.objects.create(**v)
        except IntegrityError:
            refuse(_("The code %(code)s is in use.") % {"code": v["code"]}, "code")
        activity.areas.set(areas)
        activity.area_sets.set(area_sets)
        activity.refresh_from_db()
        audit_record(acting_user=acting_user, action="programmes.activity.create",
                     obj=activity, after=activity_snapshot(activity))
    return activity


def _state(activity: Activity) -> dict:
    state = {f: getattr(activity, f) for f in SCALARS}
    state["area_codes"] = sorted(activity.areas.values_list("code", flat=True))
    state["area_set_slugs"] = sorted(activity.area_sets.values_list("slug", flat=True))
    return state


def _conflict(current: dict):
    raise ConflictError(_("Someone else changed this activity after you opened it. Nothing "
                          "was saved; reload it and make your change again."), current=current)


def activity_update(*, acting_user, activity, expected_version, **changes) -> Activity:
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        refuse(_("Unknown field(s): %(fields)s.") % {"fields": ", ".join(unknown)}, unknown[0])
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            _conflict({})
        state = _state(current)
        values = {**state, **changes}
        _check_types(values["owner"], values["parent"])
        if changes.get("parent") is not None:
            values["parent"] = stored_activity(changes["parent"], field="parent")
        # Rights before the version: a conflict shows the row as it is now.
        _check_update_rights(acting_user, current, changes, values)
        before = activity_snapshot(current)
        if current.version != expected_version:
            _conflict(before)
        if "parent" in changes:
            _no_cycle(current, values["parent"])
        v = _clean(values, activity=current)
        areas, area_sets = v.pop("areas"), v.pop("area_sets")
        scalars = {k: v[k] for k in SCALARS if v[k] != state[k]}
        new_codes = sorted(a.code for a in areas)
        new_slugs = sorted(s.slug for s in area_sets)
        if not scalars and new_codes == state["area_codes"] and (
                new_slugs == state["area_set_slugs"]):
            activity.refresh_from_db()
            return activity
        done = Activity.objects.filter(pk=current.pk, version=expected_version).update(
            **scalars, version=F("version") + 1, updated_at=timezone.now())
        if not done:
            _conflict(before)
        if new_codes != state["area_codes"]:
            current.areas.set(areas)
        if new_slugs != state["area_set_slugs"]:
            current.area_sets.set(area_sets)
        current.refresh_from_db()
        audit_record(acting_user=acting_user, action="programmes.activity.update",
                     obj=current, before=before, after=activity_snapshot(current))
    activity.refresh_from_db()
    return activity


def _check_update_rights(user, current: Activity, changes: dict, values: dict) -> None:
    register_changes = set(changes) - {"public"}
    if register_changes or not permissions.may_mark_public(user):
        if not permissions.may_edit_register(user, current):
            _refused(_("Only programme staff of the owner organisation may change this "
                       "activity."))
    moved = {"owner", "parent"} & set(changes)
    if moved and (values["owner"].pk != current.owner_id
                  or getattr(values["parent"], "pk", None) != current.parent_id):
        parent = values["parent"] if "parent" in changes else None
        if not permissions.may_edit_register(user, owner_id=values["owner"].pk,
                                             parent=parent):
            _refused(_("Only programme staff of the new owner (and of the owner of the new "
                       "parent) may move an activity there."), sorted(moved)[0])
    if "public" in changes and changes["public"] is not current.public and (
            not permissions.may_mark_public(user)):
        _refused(_("Only programme staff of the municipality may make an activity public "
                   "or private."), "public")


def activity_delete(*, acting_user, activity) -> None:
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            refuse(_("This activity no longer exists."))
        if not permissions.may_edit_register(acting_user, current):
            _refused(_("Only programme staff of the owner organisation may delete this "
                       "activity."))
        parts = list(current.children.values_list("code", flat=True))
        if parts:
            refuse(_("The activity has parts (%(codes)s); delete or move them first.")
                   % {"codes": ", ".join(parts)}, "parent")
        if current.budget_lines.exists():
            refuse(_("The activity has budget lines; delete them first."))
        if ResultUpdate.objects.filter(period__result__activity=current,
                                       status=ResultUpdate.Status.APPROVED).exists():
            refuse(_("The activity has approved results; it stays in the register "
                     "(set its status to stopped instead)."))
        before = activity_snapshot(current)
        before["partners"] = sorted(current.partners.values_list("organisation_id", "role"))
        before["results"] = sorted(current.results.values_list("name", flat=True))
        pk, label = current.pk, str(current)
        try:
            with transaction.atomic():
                current.delete()
        except ProtectedError as error:
            # Other parts of wijkbalans (assessments, budget rounds) keep the activity.
            what = sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
            refuse(_("The activity is referred to by %(what)s; it stays in the register "
                     "(set its status to stopped instead).") % {"what": ", ".join(what)})
        audit_record(acting_user=acting_user, action="programmes.activity.delete",
                     object_type="programmes.activity", object_id=str(pk), object_repr=label,
                     before=before)


# -- partners ---------------------------------------------------------------------------

def activity_partner_add(*, acting_user, activity, organisation, role) -> ActivityPartner:
    _check_types(organisation, None)
    activity = stored_activity(activity)
    if not permissions.may_edit_register(acting_user, activity):
        _refused(_("Only programme staff of the owner organisation may change the partners "
                   "of this activity."))
    choice(role, ActivityPartner.Role, "role")
    if ActivityPartner.objects.filter(activity=activity, organisation=organisation,
                                      role=role).exists():
        refuse(_("%(organisation)s already has this role in %(code)s.")
               % {"organisation": organisation.name, "code": activity.code}, "organisation")
    with transaction.atomic():
        partner = ActivityPartner.objects.create(activity=activity, organisation=organisation,
                                                 role=role)
        audit_record(acting_user=acting_user, action="programmes.activity_partner.add",
                     obj=partner, after=snapshot(partner))
    return partner


def activity_partner_remove(*, acting_user, partner) -> None:
    with transaction.atomic():
        current = (ActivityPartner.objects.select_for_update().select_related("activity")
                   .filter(pk=partner.pk).first())
        if current is None:
            refuse(_("This partner role no longer exists."))
        if not permissions.may_edit_register(acting_user, current.activity):
            _refused(_("Only programme staff of the owner organisation may change the "
                       "partners of this activity."))
        before, pk, label = snapshot(current), current.pk, str(current)
        current.delete()
        audit_record(acting_user=acting_user, action="programmes.activity_partner.remove",
                     object_type="programmes.activitypartner", object_id=str(pk),
                     object_repr=label, before=before)
