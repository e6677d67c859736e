"""One agreement's page: everything about it, and the editors' buttons."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from common.page_cache import kept_page

from ..access import can_edit_agreement, can_see_contacts
from ..lifecycle import AgreementStatus, offered_next_statuses
from ..portal_forms import DocumentForm
from ..selectors import agreement_page
from ..services import agreement_transition_facts


def render_agreement_page(request: HttpRequest, pk: int, *, document_form: DocumentForm | None = None) -> HttpResponse:
    def context() -> dict:
        today = timezone.localdate()
        page = agreement_page(user=request.user, pk=pk, today=today)
        agreement = page.agreement
        can_edit = can_edit_agreement(request.user, agreement)
        # Only the moves that make sense today (no "expired" before the end of the term).
        next_statuses = offered_next_statuses(
            agreement.status, agreement_transition_facts(agreement, today=today), today
        )
        return {
            "page": page,
            "agreement": agreement,
            "today": today,
            "term_end": agreement.term_end_on(today),
            "act_by": agreement.act_by_on(today),
            "can_edit": can_edit,
            "can_see_contacts": can_see_contacts(request.user, agreement),
            "next_statuses": [AgreementStatus(status) for status in next_statuses] if can_edit else [],
            "document_form": (
                document_form
                or DocumentForm(agreement=agreement, latest=[versions.latest for versions in page.documents])
            )
            if can_edit
            else None,
            "max_upload_mb": settings.DOCUMENT_MAX_UPLOAD_MB,
            "title": agreement.reference,
            "crumbs": [(_("Agreements"), reverse("agreements:list")), (agreement.reference, None)],
        }

    kept = kept_page(
        request,
        page="agreement",
        template="agreements/_agreement_detail_body.html",
        context=context,
        extras=("title", "crumbs"),
        # An upload refused is shown with its errors, made for this request only.
        fresh=document_form is not None,
    )
    return render(request, "agreements/agreement_detail.html", {"kept": kept, **kept.extras})


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_agreement_page(request, pk)
