"""Who may do what with assessments. The predicates read the register's rules
(``programmes.permissions``); docs/touchstone.md has them as a table.

- **Assess and decide**: administrators, the programme staff of the plan's owner, and the
  programme bureau (programme staff of a municipality), who weighs plans of partners too.
- **Read**: members of the Local Alliance read every assessment; everyone (residents and
  the public included) reads the assessments of a public activity, without the money's
  amounts (:func:`wijkbalans.touchstone.scorecard.for_reader`).
- **Compute** (a scorecard that is not stored): whoever may read the plan's assessments.
"""

from __future__ import annotations

from wijkbalans.programmes import permissions as programme_rules


def may_assess(user, activity) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        programme_rules.may_review(user, activity) or programme_rules.may_mark_public(user))


def may_decide(user, activity) -> bool:
    return may_assess(user, activity)


def may_read(user, activity) -> bool:
    return programme_rules.may_read(user, activity)


def may_compute(user, activity) -> bool:
    return may_read(user, activity)
