"""The signed-in person read with their park roles in one query, on every request."""

from django.contrib.auth.backends import ModelBackend, UserModel
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import OuterRef
from django.db.models.functions import JSONObject

from parks.access import remember_park_roles
from parks.models import Membership


class ModelBackendWithRoles(ModelBackend):
    """Django's ModelBackend, whose `get_user` (run by every request with a session) also reads the
    person's role in each park: nearly every page asks for them (parks.access), a query saved."""

    def get_user(self, user_id):
        if connection.vendor != "postgresql":  # the quick run on SQLite: roles are read when asked for
            return super().get_user(user_id)
        roles = Membership.objects.filter(user=OuterRef("pk")).values(
            json=JSONObject(park="technopolis_id", role="role")
        )
        user = UserModel._default_manager.annotate(park_role_rows=ArraySubquery(roles)).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_park_roles(user, {row["park"]: row["role"] for row in user.park_role_rows})
        return user
