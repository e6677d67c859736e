"""The admin site: staff must have passed the second factor before any admin page opens."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # A signed-in staff member who lacks the second factor is sent to set it up or to enter a
        # code, instead of seeing the admin's password form again.
        user = request.user
        if user.is_authenticated and user.is_active and user.is_staff and not user.is_verified():
            target = "accounts:two_factor_verify" if user_has_device(user) else "accounts:two_factor_setup"
            query = urlencode({"next": request.GET.get("next") or reverse("admin:index")})
            return redirect(f"{reverse(target)}?{query}")
        return super().login(request, extra_context)
