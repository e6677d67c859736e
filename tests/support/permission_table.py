"""The permission table: for every URL name of the portal, the exact outcome for each kind of person.

One or more rows per URL name, each naming the objects of the fixture world (tests/support/personas.py)
it is opened on. Outcomes: LOGIN is a redirect to the login page, 302 any other redirect (the action
was done), and every refusal (LOGIN, 403, 404, 405) leaves every record as it was.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from agreements.models import Agreement, Milestone
from notifications import links
from partners.links import link_token
from tests.support.personas import ROLES

LOGIN = "login"

# Django's own sign-in views (django.contrib.auth.urls): not portal pages, tested in test_auth_pages.
AUTH_VIEWS = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)
# Django admin has its own permission system (and mandatory two-factor); tested in test_admin.
# The REST API answers 401/403/404 rather than login redirects: every endpoint × role is in
# tests/test_api_permissions.py (its token page, a portal page, is in the rows below).
EXCLUDED_NAMESPACES = frozenset({"admin", "api"})


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")


@dataclass
class Row:
    name: str
    expected: dict[str, int | str]
    args: Any = None  # world -> list of URL arguments
    method: str = "get"
    data: Any = None  # world -> POST data
    query: str = ""
    variant: str = ""
    prepare: Any = None  # (world, monkeypatch) -> None, before the request
    note: str = field(default="")

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def outcomes(anonymous, viewer, editor, outsider, admin, partner=None) -> dict[str, int | str]:
    """A partner's session signs nobody in: unless said otherwise, a partner gets what anonymous gets."""
    partner = anonymous if partner is None else partner
    return dict(zip(ROLES, (anonymous, viewer, editor, outsider, admin, partner), strict=True))


# Shorthands for the common lines of the table.
EVERYONE_SIGNED_IN = outcomes(LOGIN, 200, 200, 200, 200)
NO_LOGIN_NEEDED = outcomes(200, 200, 200, 200, 200)
ADMINS_ONLY = outcomes(LOGIN, 403, 403, 403, 200)  # staff pages: managers too (tested in test_portal_staff)
ANY_EDITOR = outcomes(LOGIN, 403, 200, 200, 200)
# On the A–C agreement: A's editor is a party, B's editor does not even know it exists.
AC_READ = outcomes(LOGIN, 200, 200, 404, 200)
AC_WRITE_PAGE = outcomes(LOGIN, 403, 200, 404, 200)
AC_ACTION = outcomes(LOGIN, 403, 302, 404, 302)
BC_SECRET_READ = outcomes(LOGIN, 404, 404, 200, 200)
BC_SECRET_ACTION = outcomes(LOGIN, 404, 404, 302, 302)
BC_PUBLIC_WRITE_PAGE = outcomes(LOGIN, 403, 403, 200, 200)
BC_PUBLIC_CONTACTS = outcomes(LOGIN, 403, 403, 200, 200)
BC_PUBLIC_ACTION = outcomes(LOGIN, 403, 403, 302, 302)
EVERYONE_NOT_FOUND = outcomes(LOGIN, 404, 404, 404, 404)


def links_partner_token(w):
    return link_token(w.partner_link)


def _revoked_link(w):
    from partners.models import PartnerLink

    link = PartnerLink.objects.create(
        person=w.partner,
        address=w.partner.email,
        reason="digest",
        created_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=14),
        revoked_at=timezone.now(),
    )
    return [link_token(link)]


def _ac(w):
    return [w.ac.pk]


def _archive(w, monkeypatch):
    Agreement.objects.filter(pk=w.ac.pk).update(archived_at=timezone.now(), archived_by=w.admin)


def _broker_up(w, monkeypatch):
    import operations.health

    monkeypatch.setattr(operations.health, "broker_ok", lambda: True)


def _viewer_api_token(w):
    from api.models import ApiToken

    record, _token = ApiToken.objects.create(user=w.viewer, expiry=None, name="matrix")
    return [record.public_id]


def _overdue(key):
    def prepare(w, monkeypatch):
        Milestone.objects.filter(pk=w.milestones[key].pk).update(due_on=datetime.date(2020, 1, 1))

    return prepare


# The partner pages: only the partner's session opens them; without it a page sends to the link
# request page (302) and an action is refused (403). Park C's partner sees A–C (named in it) and the
# public B–C agreement; the confidential B–C one, which they follow but are not named in, is 404.
PARTNER_PAGE = outcomes(302, 302, 302, 302, 302, partner=200)
PARTNER_PAGE_HIDDEN = outcomes(302, 302, 302, 302, 302, partner=404)
PARTNER_ACTION = outcomes(403, 403, 403, 403, 403, partner=302)
PARTNER_ACTION_HIDDEN = outcomes(403, 403, 403, 403, 403, partner=404)
# Deciding on what a partner said: editors of a party (a viewer, or B's editor, finds nothing to decide).
AC_DECISION = outcomes(LOGIN, 404, 302, 404, 302)


def _partner_said(w, monkeypatch):
    """A pending confirmation and proposal on the A–C milestone, and comments with a file (one staff-only)."""
    from partners.models import DueDateProposal, MilestoneComment, MilestoneConfirmation

    milestone = w.milestones["ac"]
    if MilestoneComment.objects.filter(milestone=milestone).exists():
        return  # said already (the URL's arguments ask for it too)
    now = timezone.now()
    common = {"milestone": milestone, "person": w.partner, "author_name": w.partner.full_name, "created_at": now}
    MilestoneConfirmation.objects.create(technopolis=w.park_c, completed_on=datetime.date(2026, 1, 5), **common)
    DueDateProposal.objects.create(
        current_due_on=milestone.due_on, proposed_due_on=datetime.date(2026, 6, 1), reason="Late parts", **common
    )
    for staff_only in (False, True):
        MilestoneComment.objects.create(
            milestone=milestone,
            user=w.editor if staff_only else None,
            person=None if staff_only else w.partner,
            author_name="Somebody",
            created_at=now,
            staff_only=staff_only,
            body="See the file",
            evidence=_pdf(),
            original_filename="proof.pdf",
        )


def _said(model, **filters):
    def args(w):
        from partners import models

        _partner_said(w, None)
        return [getattr(models, model).objects.get(**filters).pk]

    return args


def _comment(staff_only: bool):
    def args(w):
        from partners.models import MilestoneComment

        _partner_said(w, None)
        comment = MilestoneComment.objects.get(staff_only=staff_only)
        return [w.milestones["ac"].pk, comment.pk]

    return args


def _staff_comment(staff_only: bool):
    def args(w):
        return [w.ac.pk, *_comment(staff_only)(w)]

    return args


SUBSCRIBE_MYSELF = {"myself": "on", "delivery": "digest", "frequency": "weekly", "language": "en"}

EXPECTATIONS: list[Row] = [
    # --- portal -------------------------------------------------------------------------------
    Row("portal:dashboard", EVERYONE_SIGNED_IN),
    Row("portal:search", EVERYONE_SIGNED_IN, query="?q=plan"),
    Row("portal:profile", EVERYONE_SIGNED_IN),
    Row(
        "portal:calendar_token",
        outcomes(LOGIN, 302, 302, 302, 302),
        method="post",
        data=lambda w: {"action": "create"},
    ),
    Row("portal:calendar_feed", NO_LOGIN_NEEDED, args=lambda w: [w.calendar_token.token]),
    # API tokens (issue 8): each person sees, creates and revokes only their own.
    Row("api_tokens:list", EVERYONE_SIGNED_IN),
    Row("api_tokens:revoke", outcomes(LOGIN, 302, 404, 404, 404), args=_viewer_api_token, method="post"),
    Row("portal:calendar_feed", outcomes(404, 404, 404, 404, 404), args=lambda w: ["not-a-token"], variant="unknown"),
    # --- parks --------------------------------------------------------------------------------
    Row("parks:list", EVERYONE_SIGNED_IN),
    Row("parks:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.park_b.slug], variant="park B"),
    Row("parks:detail", EVERYONE_NOT_FOUND, args=lambda w: ["no-such-park"], variant="unknown"),
    Row("parks:history", EVERYONE_SIGNED_IN, args=lambda w: [w.park_b.slug], variant="park B"),
    Row("parks:history", EVERYONE_NOT_FOUND, args=lambda w: ["no-such-park"], variant="unknown"),
    # --- residents and IP -----------------------------------------------------------------------
    Row("residents:list", EVERYONE_SIGNED_IN),
    Row("exchange:export", EVERYONE_SIGNED_IN, args=lambda w: ["companies", "csv"], variant="companies"),
    Row("residents:create", ANY_EDITOR),
    Row("residents:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.company_b.pk], variant="company of B"),
    Row("residents:edit", outcomes(LOGIN, 403, 200, 403, 200), args=lambda w: [w.company_a.pk], variant="of A"),
    Row("residents:edit", outcomes(LOGIN, 403, 403, 200, 200), args=lambda w: [w.company_b.pk], variant="of B"),
    Row("ip:list", EVERYONE_SIGNED_IN),
    Row("ip:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.ip_b.pk], variant="patent of B"),
    # --- agreements -----------------------------------------------------------------------------
    Row("agreements:list", EVERYONE_SIGNED_IN),
    Row("exchange:export", EVERYONE_SIGNED_IN, args=lambda w: ["agreements", "xlsx"], variant="agreements XLSX"),
    Row("agreements:milestones", EVERYONE_SIGNED_IN),
    Row("exchange:export", EVERYONE_SIGNED_IN, args=lambda w: ["milestones", "csv"], variant="milestones"),
    Row("agreements:create", ANY_EDITOR),
    # --- agreements from press releases (issue 17) -------------------------------------------------------
    Row("releases:start", ANY_EDITOR),
    Row(
        "releases:confirm",
        outcomes(LOGIN, 403, 302, 302, 302),
        method="post",
        data=lambda w: {},
        variant="no release text: back to the start, nothing written",
    ),
    Row("agreements:detail", AC_READ, args=_ac, variant="A–C confidential"),
    Row("agreements:detail", BC_SECRET_READ, args=lambda w: [w.bc_secret.pk], variant="B–C confidential"),
    Row("agreements:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.bc_public.pk], variant="B–C public"),
    Row("agreements:detail", EVERYONE_NOT_FOUND, args=lambda w: [999999], variant="unknown"),
    Row("agreements:edit", AC_WRITE_PAGE, args=_ac, variant="A–C confidential"),
    Row("agreements:edit", outcomes(LOGIN, 404, 404, 200, 200), args=lambda w: [w.bc_secret.pk], variant="B–C conf."),
    Row("agreements:edit", BC_PUBLIC_WRITE_PAGE, args=lambda w: [w.bc_public.pk], variant="B–C public"),
    Row(
        "agreements:change_status",
        AC_ACTION,
        args=_ac,
        method="post",
        data=lambda w: {"status": "draft", "current_status": "negotiation"},
        variant="A–C confidential",
    ),
    Row(
        "agreements:change_status",
        BC_PUBLIC_ACTION,
        args=lambda w: [w.bc_public.pk],
        method="post",
        data=lambda w: {"status": "draft", "current_status": "negotiation"},
        variant="B–C public",
    ),
    Row(
        "agreements:milestone_done",
        AC_ACTION,
        args=lambda w: [w.ac.pk, w.milestones["ac"].pk],
        method="post",
        data=lambda w: {"completed_on": timezone.localdate().isoformat()},
        variant="A–C confidential",
    ),
    Row(
        "agreements:milestone_done",
        BC_SECRET_ACTION,
        args=lambda w: [w.bc_secret.pk, w.milestones["bc_secret"].pk],
        method="post",
        data=lambda w: {"completed_on": timezone.localdate().isoformat()},
        variant="B–C confidential",
    ),
    Row(
        # A milestone of another agreement under an agreement the person edits: not found.
        "agreements:milestone_done",
        outcomes(LOGIN, 403, 404, 404, 404),
        args=lambda w: [w.ac.pk, w.milestones["bc_secret"].pk],
        method="post",
        variant="milestone of another agreement",
    ),
    Row(
        "agreements:document_upload",
        AC_ACTION,
        args=_ac,
        method="post",
        data=lambda w: {"kind": "annex", "title": "Minutes", "file": _pdf()},
        variant="A–C confidential",
    ),
    Row(
        "agreements:document_upload",
        outcomes(LOGIN, 405, 405, 405, 405),
        args=_ac,
        variant="GET",
        note="login_required runs before require_POST",
    ),
    Row(
        "agreements:document_download",
        AC_READ,
        args=lambda w: [w.ac.pk, w.documents["ac"].pk],
        variant="A–C confidential",
    ),
    Row(
        "agreements:document_download",
        BC_SECRET_READ,
        args=lambda w: [w.bc_secret.pk, w.documents["bc_secret"].pk],
        variant="B–C confidential",
    ),
    Row(
        # The document of a confidential agreement reached through an agreement one may see.
        "agreements:document_download",
        outcomes(LOGIN, 404, 404, 404, 404),
        args=lambda w: [w.bc_public.pk, w.documents["ac"].pk],
        variant="document of another agreement",
    ),
    # Being added (issue 5): archive and restore instead of delete, by the party's editors.
    Row("agreements:archive", AC_ACTION, args=_ac, method="post", variant="A–C confidential"),
    # A GET asks first (a confirmation page), for those who may do it.
    Row("agreements:archive", AC_WRITE_PAGE, args=_ac, variant="GET: confirm"),
    Row("agreements:change_status", AC_WRITE_PAGE, args=_ac, query="?status=draft", variant="GET: confirm"),
    Row(
        "agreements:milestone_done",
        AC_WRITE_PAGE,
        args=lambda w: [w.ac.pk, w.milestones["ac"].pk],
        variant="GET: the date and a note",
    ),
    Row("agreements:restore", AC_ACTION, args=_ac, method="post", prepare=_archive, variant="A–C archived"),
    Row(
        "agreements:restore",
        outcomes(LOGIN, 404, 404, 302, 302),
        args=lambda w: [w.bc_secret.pk],
        method="post",
        prepare=lambda w, mp: Agreement.objects.filter(pk=w.bc_secret.pk).update(archived_at=timezone.now()),
        variant="B–C confidential archived",
    ),
    # --- notifications -----------------------------------------------------------------------------
    Row("notifications:agreement", AC_READ, args=_ac, variant="A–C confidential"),
    Row("notifications:agreement", BC_SECRET_READ, args=lambda w: [w.bc_secret.pk], variant="B–C confidential"),
    # A public agreement is read by everyone; who follows it (addresses) and what they were sent, by
    # its parties' staff and admins only (issue 14, item 11).
    Row("notifications:agreement", BC_PUBLIC_CONTACTS, args=lambda w: [w.bc_public.pk], variant="B–C public"),
    Row(
        "notifications:subscription_add",
        AC_ACTION,
        args=_ac,
        method="post",
        data=lambda w: SUBSCRIBE_MYSELF,
        variant="A–C confidential",
    ),
    Row(
        "notifications:subscription_add",
        BC_PUBLIC_ACTION,
        args=lambda w: [w.bc_public.pk],
        method="post",
        data=lambda w: SUBSCRIBE_MYSELF,
        variant="B–C public",
    ),
    Row(
        "notifications:subscription_remove",
        AC_ACTION,
        args=lambda w: [w.ac.pk, w.subscriptions["ac"].pk],
        method="post",
        variant="A–C confidential",
    ),
    Row(
        # Someone else's subscription, through an agreement the person edits: not found.
        "notifications:subscription_remove",
        outcomes(LOGIN, 403, 404, 404, 404),
        args=lambda w: [w.ac.pk, w.subscriptions["bc_secret"].pk],
        method="post",
        variant="subscription of another agreement",
    ),
    Row(
        "notifications:subscription_preview",
        AC_READ,
        args=lambda w: [w.ac.pk, w.subscriptions["ac"].pk],
        variant="A–C confidential",
    ),
    Row(
        "notifications:subscription_preview",
        BC_SECRET_READ,
        args=lambda w: [w.bc_secret.pk, w.subscriptions["bc_secret"].pk],
        variant="B–C confidential",
    ),
    Row(
        "notifications:subscription_preview",
        BC_PUBLIC_CONTACTS,
        args=lambda w: [w.bc_public.pk, w.subscriptions["bc_public"].pk],
        variant="B–C public",
    ),
    Row(
        "notifications:subscription_preview",
        outcomes(LOGIN, 403, 403, 404, 404),
        args=lambda w: [w.bc_public.pk, w.subscriptions["bc_secret"].pk],
        variant="subscription of another agreement",
    ),
    Row(
        "notifications:milestone_snooze",
        AC_ACTION,
        args=lambda w: [w.ac.pk, w.milestones["ac"].pk],
        method="post",
        prepare=_overdue("ac"),
        variant="A–C confidential",
    ),
    Row(
        "notifications:milestone_snooze",
        outcomes(LOGIN, 403, 404, 404, 404),
        args=lambda w: [w.ac.pk, w.milestones["bc_secret"].pk],
        method="post",
        prepare=_overdue("bc_secret"),
        variant="milestone of another agreement",
    ),
    # Signed links from e-mails: the token is the credential, no login.
    Row(
        "notifications:unsubscribe",
        NO_LOGIN_NEEDED,
        args=lambda w: [links.unsubscribe_token(w.subscriptions["ac"].pk)],
    ),
    Row("notifications:unsubscribe", outcomes(404, 404, 404, 404, 404), args=lambda w: ["forged"], variant="forged"),
    Row(
        "notifications:snooze",
        NO_LOGIN_NEEDED,
        args=lambda w: [links.snooze_token(w.milestones["ac"].pk, "partner@example.org")],
    ),
    Row("notifications:snooze", outcomes(404, 404, 404, 404, 404), args=lambda w: ["forged"], variant="forged"),
    # --- partners in the loop (issue 16): the partner pages, signed links, staff's side -------------
    Row("partners:open", outcomes(302, 302, 302, 302, 302), args=lambda w: [links_partner_token(w)]),
    Row("partners:open", outcomes(403, 403, 403, 403, 403), args=lambda w: ["forged"], variant="forged"),
    Row("partners:open", outcomes(403, 403, 403, 403, 403), args=_revoked_link, variant="revoked"),
    Row("partners:request", NO_LOGIN_NEEDED),
    Row(
        "partners:request",
        NO_LOGIN_NEEDED,
        method="post",
        data=lambda w: {"address": "nobody@example.org"},
        variant="an unknown address: the same answer",
    ),
    Row("partners:leave", NO_LOGIN_NEEDED, method="post"),
    Row("partners:home", PARTNER_PAGE),
    Row("partners:milestone", PARTNER_PAGE, args=lambda w: [w.milestones["ac"].pk], variant="A–C, named in it"),
    Row("partners:milestone", PARTNER_PAGE, args=lambda w: [w.milestones["bc_public"].pk], variant="B–C public"),
    Row(
        "partners:milestone",
        PARTNER_PAGE_HIDDEN,
        args=lambda w: [w.milestones["bc_secret"].pk],
        variant="B–C confidential, followed but not named",
    ),
    Row(
        "partners:confirm",
        PARTNER_ACTION,
        args=lambda w: [w.milestones["ac"].pk],
        method="post",
        data=lambda w: {"completed_on": "2026-01-10", "note": "Done"},
    ),
    Row(
        "partners:confirm",
        PARTNER_ACTION_HIDDEN,
        args=lambda w: [w.milestones["bc_secret"].pk],
        method="post",
        data=lambda w: {"completed_on": "2026-01-10"},
        variant="another agreement's milestone by an edited URL",
    ),
    Row(
        "partners:propose",
        PARTNER_ACTION,
        args=lambda w: [w.milestones["ac"].pk],
        method="post",
        data=lambda w: {
            "proposed_due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "reason": "Late parts",
        },
    ),
    Row(
        "partners:comment",
        PARTNER_ACTION,
        args=lambda w: [w.milestones["bc_public"].pk],
        method="post",
        data=lambda w: {"body": "Photos next week"},
    ),
    Row("partners:evidence", PARTNER_PAGE, args=_comment(False), prepare=_partner_said),
    Row(
        "partners:evidence",
        PARTNER_PAGE_HIDDEN,
        args=_comment(True),
        prepare=_partner_said,
        variant="a staff-only note's file",
    ),
    Row("partners:waiting", EVERYONE_SIGNED_IN, prepare=_partner_said),
    Row("partners:staff_milestone", AC_READ, args=lambda w: [w.ac.pk, w.milestones["ac"].pk], prepare=_partner_said),
    Row(
        "partners:staff_milestone",
        AC_ACTION,
        args=lambda w: [w.ac.pk, w.milestones["ac"].pk],
        method="post",
        data=lambda w: {"body": "Checked", "staff_only": "on"},
        variant="a staff-only note",
    ),
    Row(
        "partners:staff_milestone",
        EVERYONE_NOT_FOUND,
        args=lambda w: [w.ac.pk, w.milestones["bc_secret"].pk],
        variant="milestone of another agreement",
    ),
    Row(
        "partners:comments_read",
        AC_ACTION,
        args=lambda w: [w.ac.pk, w.milestones["ac"].pk],
        method="post",
        prepare=_partner_said,
    ),
    Row("partners:staff_evidence", AC_READ, args=_staff_comment(False), prepare=_partner_said),
    Row(
        "partners:confirmation_decide",
        AC_DECISION,
        args=_said("MilestoneConfirmation"),
        method="post",
        data=lambda w: {"decision": "accept"},
        prepare=_partner_said,
    ),
    Row(
        "partners:proposal_decide",
        AC_DECISION,
        args=_said("DueDateProposal"),
        method="post",
        data=lambda w: {"decision": "reject", "message": "Not this year"},
        prepare=_partner_said,
    ),
    Row("partners:links", EVERYONE_SIGNED_IN),
    # Park C's contact: A's people see it (A has an agreement with C), and so do B's; A's viewer may not revoke.
    Row("partners:link_revoke", outcomes(LOGIN, 403, 302, 302, 302), args=lambda w: [w.partner_link.pk], method="post"),
    # --- the cooperation network (issue 18): everyone signed in; each sees what they may ---------------
    Row("network:network", EVERYONE_SIGNED_IN),
    Row("network:network", EVERYONE_SIGNED_IN, query="?format=svg", variant="the picture as SVG"),
    Row("network:network", EVERYONE_SIGNED_IN, query="?format=csv", variant="the figures as CSV"),
    Row("network:edge", EVERYONE_SIGNED_IN, args=lambda w: [w.park_b.pk, w.park_c.pk]),
    Row("network:coverage", EVERYONE_SIGNED_IN),
    Row("network:coverage", EVERYONE_SIGNED_IN, query="?park=gamma", variant="one park's agreements"),
    Row("network:track_record", EVERYONE_SIGNED_IN),
    Row("network:track_record", EVERYONE_SIGNED_IN, query="?park=beta&format=png", variant="a park's, as PNG"),
    # --- exchange: spreadsheet import/export and the agreement PDF (issue 8) ---------------------------
    Row("exchange:import", ANY_EDITOR),
    Row(
        "exchange:import_confirm",
        outcomes(LOGIN, 403, 302, 302, 302),
        method="post",
        data=lambda w: {"token": "forged"},
        variant="forged token: back to the upload page, nothing written",
    ),
    Row(
        "exchange:import_cancel",
        outcomes(LOGIN, 302, 302, 302, 302),
        method="post",
        data=lambda w: {"token": "forged"},
        variant="forged token: back to the upload page, nothing deleted",
    ),
    Row("exchange:template", EVERYONE_SIGNED_IN, args=lambda w: ["companies", "xlsx"]),
    Row("exchange:export", EVERYONE_SIGNED_IN, args=lambda w: ["agreements", "csv"]),
    Row("exchange:agreement_pdf", AC_READ, args=_ac, variant="A–C confidential"),
    Row("exchange:agreement_pdf", BC_SECRET_READ, args=lambda w: [w.bc_secret.pk], variant="B–C confidential"),
    Row("exchange:agreement_pdf", EVERYONE_SIGNED_IN, args=lambda w: [w.bc_public.pk], variant="B–C public"),
    # --- accounts: two-factor sign-in (issue 5), the language switcher, park staff ---------------------
    Row("accounts:two_factor_setup", EVERYONE_SIGNED_IN),
    # Nobody here has a device yet: the code page sends them to set one up.
    Row("accounts:two_factor_verify", outcomes(LOGIN, 302, 302, 302, 302)),
    Row("accounts:two_factor_remove", outcomes(LOGIN, 302, 302, 302, 302), method="post"),
    Row("accounts:two_factor_remove", outcomes(LOGIN, 405, 405, 405, 405), variant="GET"),
    # The language switcher works signed in or not (the login page has it too).
    Row(
        "accounts:set_language",
        outcomes(302, 302, 302, 302, 302),
        method="post",
        data=lambda w: {"language": "ru", "next": "/"},
    ),
    Row("accounts:staff", ADMINS_ONLY),
    Row("accounts:staff_add", ADMINS_ONLY),
    Row("accounts:staff_edit", ADMINS_ONLY, args=lambda w: [w.membership_a.pk]),
    Row("accounts:staff_remove", ADMINS_ONLY, args=lambda w: [w.membership_a.pk]),
    Row(
        "accounts:staff_remove",
        outcomes(LOGIN, 403, 403, 403, 302),
        args=lambda w: [w.membership_a.pk],
        method="post",
        variant="POST",
    ),
    # --- operations ----------------------------------------------------------------------------------
    Row("healthz", NO_LOGIN_NEEDED, prepare=_broker_up),
    Row("favicon", outcomes(301, 301, 301, 301, 301)),
]


# --- the URL configuration ------------------------------------------------------------------------


def _walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                yield f"<unnamed {prefix}{entry.pattern}>"
            else:
                yield f"{namespace}:{entry.name}" if namespace else entry.name


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns)) - AUTH_VIEWS
