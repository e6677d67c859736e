"""Who may write through the API: the apps' access rules, asked through each viewset.

Reading needs a signed-in user (token or session); what they see is narrowed by the viewset's
queryset (agreements.access, residents.access), so an invisible record is answered 404. Writing
needs the same right as in the portal: 403 for a visible record the user may not change.
"""

from rest_framework.permissions import SAFE_METHODS, IsAuthenticated


class PortalRules(IsAuthenticated):
    """Delegates to the viewset's `may_create(user)` and `may_change(user, record)`."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if request.method in SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "create":
            return view.may_create(request.user)
        return True

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return view.may_change(request.user, obj)
