"""Who may do what in participation. One predicate per rule; services check them before
they write, pages use them to show or hide controls.

- **Residents** (a user with a verified :class:`~.models.ResidentProfile`) comment,
  submit and support proposals, flag items and vote. Supporting a proposal and voting need
  a postcode in the area (``services.identity.resident_lives_in``).
- **Moderators** are the programme staff of a municipality (and administrators): they
  create and publish consultations, hide and show comments and proposals, work through
  the moderation queue, publish outcomes, and write official answers.
- **Budget rounds** are run by the programme staff of the organisation that owns the
  round's programme (the same rule as creating an activity under that programme,
  ``programmes.permissions.may_edit_register``), who also close them.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from wijkbalans.programmes import permissions as programme_rules


def resident_profile_of(user):
    """The user's resident profile, or None (no query when it was read before)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.resident_profile
    except ObjectDoesNotExist:
        return None


def is_resident(user) -> bool:
    profile = resident_profile_of(user)
    return bool(profile and profile.verified and user.is_active)


def is_moderator(user) -> bool:
    return programme_rules.may_mark_public(user)


def may_run_round(user, programme) -> bool:
    """Create, edit, publish and close a budget round whose winners go under
    ``programme``."""
    return programme_rules.may_edit_register(user, owner_id=programme.owner_id,
                                             parent=programme)


def may_see_hidden(user, item) -> bool:
    """The author of a hidden item and the moderators read its text and the reason."""
    return is_moderator(user) or (getattr(user, "pk", None) is not None
                                  and item.author_id == user.pk)
