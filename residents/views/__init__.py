"""The resident company pages and the IP registry."""

from .companies import company_detail, company_list
from .company_form import company_create, company_edit
from .ip import ip_detail, ip_list

__all__ = [
    "company_create",
    "company_detail",
    "company_edit",
    "company_list",
    "ip_detail",
    "ip_list",
]
