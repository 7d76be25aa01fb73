"""Who may change what through the API. Reading the open-data resources is public."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from wijkbalans.accounts.selectors import user_has_role

AREA_SET_EDITORS = frozenset({"admin", "programme_staff", "analyst"})


class AreaSetEditorOrReadOnly(BasePermission):
    """Anyone reads; writing needs a signed-in user with an editor role."""

    message = "Changing area sets needs the role admin, programme_staff or analyst."

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        return bool(user and user.is_authenticated
                    and user_has_role(user=user, roles=AREA_SET_EDITORS))
