"""Who may do what in the programme register. One predicate per rule, each a read of the
user's memberships (``accounts.Membership``); services call them before they write and
views use them to show or hide controls.

The rules (docs/programmes.md has them as a table):

- **Read.** Everyone reads a public activity. Members of the Local Alliance (any role but
  resident) read every activity, its results and its money.
- **Register.** Programme staff of the activity's owner organisation create, edit and
  delete it, its partners and its result indicators and targets. Creating a child needs
  programme staff in the owner of the parent too.
- **Review.** The same programme staff (the programme bureau) approve or return result
  updates and lock approved periods.
- **Report.** A user with the role partner (or programme staff) in an organisation that
  owns the activity or has a role in it writes result updates for that organisation, and
  edits only that organisation's updates, while they are draft or returned.
- **Money.** A finance officer of a municipality edits funding sources and what they
  secure; a finance officer of the activity's owner edits its budget lines.
- **Public.** Only programme staff of a municipality mark an activity public.
- Administrators (role admin, or superusers) may do everything.
"""

from __future__ import annotations

from wijkbalans.accounts.models import Membership, Organisation, Role

ALLIANCE_ROLES = frozenset(r.value for r in Role if r != Role.RESIDENT)


def _memberships(user) -> list[tuple[int, str, str]]:
    """(organisation id, organisation kind, role) of every membership, cached on the user
    object for the request."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_wijkbalans_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).values_list(
            "organisation_id", "organisation__kind", "role"))
        user._wijkbalans_memberships = cached
    return cached


def is_admin(user) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_authenticated", False):
        return True
    return any(role == Role.ADMIN for _, _, role in _memberships(user))


def _has(user, role: str, organisation_id: int | None = None,
         kind: str | None = None) -> bool:
    return any(r == role and (organisation_id is None or o == organisation_id)
               and (kind is None or k == kind) for o, k, r in _memberships(user))


def is_alliance_member(user) -> bool:
    return is_admin(user) or any(r in ALLIANCE_ROLES for _, _, r in _memberships(user))


def may_read(user, activity) -> bool:
    return activity.public or is_alliance_member(user)


def may_read_money(user) -> bool:
    return is_alliance_member(user)


def may_edit_register(user, activity=None, *, owner_id: int | None = None,
                      parent=None) -> bool:
    """Edit ``activity``; or, with ``owner_id`` (and ``parent``), create one."""
    if is_admin(user):
        return True
    owner_id = owner_id if owner_id is not None else getattr(activity, "owner_id", None)
    if owner_id is None or not _has(user, Role.PROGRAMME_STAFF, owner_id):
        return False
    return parent is None or _has(user, Role.PROGRAMME_STAFF, parent.owner_id)


def may_review(user, activity) -> bool:
    return is_admin(user) or _has(user, Role.PROGRAMME_STAFF, activity.owner_id)


def reporting_organisations(user, activity) -> list[int]:
    """Ids of the organisations for which ``user`` may report results of ``activity``."""
    involved = {activity.owner_id, *activity.partners.values_list("organisation_id",
                                                                   flat=True)}
    return sorted({o for o, _, r in _memberships(user)
                   if o in involved and r in (Role.PARTNER, Role.PROGRAMME_STAFF)})


def may_report(user, activity, organisation_id: int) -> bool:
    return organisation_id in reporting_organisations(user, activity)


def may_edit_update(user, update) -> bool:
    """A partner edits (and submits) only its own organisation's updates, and only while
    they are draft or returned."""
    if update.status not in ("draft", "returned"):
        return False
    return _has(user, Role.PARTNER, update.organisation_id) or _has(
        user, Role.PROGRAMME_STAFF, update.organisation_id) or is_admin(user)


def may_edit_sources(user) -> bool:
    return is_admin(user) or _has(user, Role.FINANCE_OFFICER,
                                  kind=Organisation.Kind.MUNICIPALITY)


def may_edit_budget(user, activity) -> bool:
    return is_admin(user) or _has(user, Role.FINANCE_OFFICER, activity.owner_id)


def may_mark_public(user) -> bool:
    return is_admin(user) or _has(user, Role.PROGRAMME_STAFF,
                                  kind=Organisation.Kind.MUNICIPALITY)
