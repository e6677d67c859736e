"""Park staff accounts, managed by each park's managers (and by admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parks.access import can_manage_any_staff, staff_managed_memberships, staff_managed_parks

from .. import selectors, services
from ..forms import StaffAddForm, StaffRoleForm

PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not can_manage_any_staff(request.user):
        raise PermissionDenied


def _crumbs(*extra) -> list:
    return [(_("Park staff"), reverse("accounts:staff") if extra else None), *extra]


def _person(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


def _managed_membership(request, pk: int):
    """A membership of a park the user manages; others do not exist here (404)."""
    return get_object_or_404(staff_managed_memberships(request.user).select_related("user", "technopolis"), pk=pk)


@login_required
def staff_list(request):
    _require_manager(request)
    page = Paginator(selectors.staff_memberships(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "memberships": page.object_list, "crumbs": _crumbs()}
    return render(request, "accounts/staff/list.html", context)


@login_required
def staff_add(request):
    _require_manager(request)
    form = StaffAddForm(request.POST or None, parks=staff_managed_parks(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            membership, invited = services.staff_member_add(**form.cleaned_data, added_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if invited:
                message = _(
                    "%(person)s can now use the portal as %(role)s of %(park)s; "
                    "we e-mailed them a link to choose a password."
                )
            else:
                message = _("%(person)s is now %(role)s of %(park)s.")
            messages.success(
                request,
                message
                % {
                    "person": _person(membership.user),
                    "role": membership.get_role_display(),
                    "park": membership.technopolis,
                },
            )
            return redirect("accounts:staff")
    context = {"form": form, "crumbs": _crumbs((_("Add a person"), None))}
    return render(request, "accounts/staff/add.html", context)


@login_required
def staff_edit(request, pk: int):
    _require_manager(request)
    membership = _managed_membership(request, pk)
    form = StaffRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_role_change(membership=membership, role=form.cleaned_data["role"], changed_by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(person)s is now %(role)s of %(park)s.")
                % {
                    "person": _person(membership.user),
                    "role": membership.get_role_display(),
                    "park": membership.technopolis,
                },
            )
            return redirect("accounts:staff")
    context = {"form": form, "membership": membership, "crumbs": _crumbs((_("Change a role"), None))}
    return render(request, "accounts/staff/edit.html", context)


@login_required
def staff_remove(request, pk: int):
    _require_manager(request)
    membership = _managed_membership(request, pk)
    if request.method == "POST":
        try:
            services.staff_membership_remove(membership=membership, removed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(person)s no longer has a role in %(park)s.")
                % {"person": _person(membership.user), "park": membership.technopolis},
            )
        return redirect("accounts:staff")
    context = {"membership": membership, "crumbs": _crumbs((_("Remove from a park"), None))}
    return render(request, "accounts/staff/remove.html", context)
