"""The agreements pages of the staff portal, by topic: lists, one agreement's page, editing, actions."""

from .actions import (
    agreement_archive,
    agreement_change_status,
    agreement_restore,
    document_download,
    document_upload,
    milestone_mark_done,
)
from .detail import agreement_detail
from .editing import agreement_create, agreement_edit
from .lists import agreement_list, milestone_list

__all__ = [
    "agreement_archive",
    "agreement_restore",
    "agreement_change_status",
    "agreement_create",
    "agreement_detail",
    "agreement_edit",
    "agreement_list",
    "document_download",
    "document_upload",
    "milestone_list",
    "milestone_mark_done",
]
