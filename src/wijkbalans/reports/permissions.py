"""Who may do what with the report. One predicate per rule, each a read of the user's
memberships (``accounts.selectors.user_roles``):

- **Read.** Members of the Local Alliance (every role but resident) read the versions
  and the bureau's texts, and download the reports: the report shows every activity of
  the register and its money, which the register shows to the alliance only.
- **Generate.** Administrators, programme staff and analysts queue a new version.
- **Edit the text.** Administrators and programme staff (the programme bureau) edit the
  text of a section.
"""

from __future__ import annotations

from wijkbalans.accounts.models import Role
from wijkbalans.accounts.selectors import user_roles

ALLIANCE_ROLES = frozenset(r.value for r in Role if r != Role.RESIDENT)
GENERATE_ROLES = frozenset({Role.ADMIN, Role.PROGRAMME_STAFF, Role.ANALYST})
EDIT_ROLES = frozenset({Role.ADMIN, Role.PROGRAMME_STAFF})


def _roles(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_wijkbalans_report_roles", None)
    if cached is None:
        cached = user_roles(user=user)
        user._wijkbalans_report_roles = cached
    return cached


def may_read(user) -> bool:
    return bool(_roles(user) & ALLIANCE_ROLES)


def may_generate(user) -> bool:
    return bool(_roles(user) & GENERATE_ROLES)


def may_edit_narrative(user) -> bool:
    return bool(_roles(user) & EDIT_ROLES)
