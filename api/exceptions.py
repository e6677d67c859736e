"""Errors the API answers, in one place: 400 with field messages, 409 for a stale update.

The services raise Django's ValidationError (a field's message or a rule of the lifecycle) and
StaleRecordError (someone saved the record after the client read it); DRF knows neither.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from common.concurrency import StaleRecordError

# Codes of service errors that mean "the record moved on since you read it", not "bad input".
STALE_CODES = frozenset({"stale", "stale_status"})


def _stale_response(exc: DjangoValidationError) -> Response:
    body = {"detail": exc.messages[0], "code": "stale"}
    if isinstance(exc, StaleRecordError):
        body["changed_by"] = exc.changed_by
        body["changes"] = [
            {"field": change.field, "label": change.label, "before": change.before, "after": change.after}
            for change in exc.changes
        ]
    return Response(body, status=status.HTTP_409_CONFLICT)


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if isinstance(exc, StaleRecordError) or getattr(exc, "code", None) in STALE_CODES:
            return _stale_response(exc)
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = ValidationError(detail)
    return exception_handler(exc, context)
