"""Sorting shared by the portal's lists (and the API, which reuses their filter sets)."""

import django_filters
from django.db.models import OrderBy, QuerySet

from .i18n import LazyDescendingFormat, sort_expression


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorts with empty values last in both directions, then by id, so that pages never repeat or
    skip rows. A name kept in two languages sorts in the reader's language."""

    descending_fmt = LazyDescendingFormat()

    def ordering_expression(self, model, param: str) -> OrderBy:
        descending = param.startswith("-")
        field_name = self.param_map.get(param.lstrip("-"), param.lstrip("-"))
        expression = sort_expression(model, field_name)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value) -> QuerySet:
        # `?sort=,,` passes the form's validation as empty keys: they ask for no order.
        params = [param for param in value or () if param]
        if not params:
            return qs
        return qs.order_by(*[self.ordering_expression(qs.model, param) for param in params], "pk")
