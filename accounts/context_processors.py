"""What every page's navigation needs to know about the signed-in person."""

from parks.access import can_edit_any_park, can_manage_any_staff


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_can_manage_staff": can_manage_any_staff(user), "nav_can_edit": can_edit_any_park(user)}
