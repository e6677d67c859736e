"""How the OpenAPI schema describes the API: its token authentication and the errors it answers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ApiTokenScheme(KnoxTokenScheme):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    code = serializers.CharField()
    changed_by = serializers.CharField(allow_null=True, required=False)
    changes = ChangeSerializer(many=True, required=False)


ERRORS = {
    "400": OpenApiResponse(OpenApiTypes.OBJECT, _("Bad input: a list of messages per field (or non_field_errors).")),
    "401": OpenApiResponse(ErrorSerializer, _("No valid token or session.")),
    "403": OpenApiResponse(ErrorSerializer, _("You see this record but may not change it.")),
    "404": OpenApiResponse(ErrorSerializer, _("No such record (or none you may see), or no such page.")),
    "409": OpenApiResponse(ConflictSerializer, _("Saved by someone else after the version you sent: what changed.")),
    "429": OpenApiResponse(ErrorSerializer, _("Too many requests: retry after the seconds in Retry-After.")),
}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema, listing with each operation the errors it may answer."""

    def _get_filter_parameters(self):
        # A filter sent empty (`?due_to=`, as a filter form sends it) filters nothing, as in the portal.
        parameters = [{**parameter, "allowEmptyValue": True} for parameter in super()._get_filter_parameters()]
        for parameter in parameters:
            items = parameter.get("schema", {}).get("items", {})
            if parameter["name"] == "sort" and "enum" in items:
                # Sort keys are comma-separated; an empty one (`?sort=title,,`) asks for nothing.
                items["enum"] = [*items["enum"], ""]
        return parameters

    def _get_pagination_parameters(self):
        # `?page=` is the first page (DRF's paginator).
        return [{**parameter, "allowEmptyValue": True} for parameter in super()._get_pagination_parameters()]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["401", "429"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["400", "403"] if self._is_create_operation() else ["400", "403", "404", "409"]
        elif self.method == "DELETE":
            codes += ["403", "404"]
        elif self._is_list_view():
            # A list answers 404 for a page past its end, 400 for a filter value it does not know.
            codes += ["400", "404"] if getattr(self.view, "filterset_class", None) else ["404"]
        else:
            codes += ["404"]
        for code in sorted(codes):
            responses.setdefault(code, self._get_response_for_code(ERRORS[code], code, direction=direction))
        return responses


def version_required_on_update(result, generator, request, public):
    """drf-spectacular hook: `version` is required to change a record (PUT, PATCH) but not to create
    one, while the serializer is the same; the update operations get request bodies that say so."""
    schemas = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for method in ("put", "patch"):
            for content in operations.get(method, {}).get("requestBody", {}).get("content", {}).values():
                name = content.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
                body = schemas.get(name)
                if not body or "version" not in body.get("properties", {}):
                    continue
                if method == "put":  # the create operation shares its body: a copy of it for updates
                    name = name.removesuffix("Request") + "UpdateRequest"
                    body = schemas.setdefault(name, {**body, "required": list(body.get("required", []))})
                    content["schema"] = {"$ref": f"#/components/schemas/{name}"}
                if "version" not in body.setdefault("required", []):
                    body["required"].append("version")
    return result
