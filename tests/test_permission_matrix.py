"""The permission matrix: every URL of the portal × every kind of person, with the exact outcome.

The rows come from one explicit table (EXPECTATIONS, one or more rows per URL name), and a test
walks the project's URL configuration so that a new view fails the suite until someone writes
down who may open it. Each row names the objects of the fixture world it is opened on:

- park A is the reader's park (the viewer and the editor belong to it), park B belongs to the
  "outsider" (an editor of another park), park C is a third park;
- `ac` is a confidential agreement between A and C: A is a party, B is not;
- `bc_secret` is a confidential agreement between B and C: it does not exist for A's people;
- `bc_public` is a public agreement between B and C: everyone sees it, only B's editor changes it;
- each has a milestone, a document and a digest subscription following it; companies in A and B
  each have a patent and a know-how record.

Outcomes: LOGIN is a redirect to the login page, 302 any other redirect (the action was done),
and every refusal (LOGIN, 403, 404, 405) leaves every record as it was.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

import factory
import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementDocument, Milestone
from notifications import links
from notifications.models import Subscription
from parks.models import Membership, Technopolis
from residents.models import IntellectualProperty, KnowHow, ResidentCompany
from tests import factories

LOGIN = "login"
ROLES = ("anonymous", "viewer", "editor", "outsider", "admin")

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


@dataclass
class World:
    park_a: Technopolis
    park_b: Technopolis
    park_c: Technopolis
    viewer: User
    editor: User
    outsider: User
    admin: User
    ac: Agreement
    bc_secret: Agreement
    bc_public: Agreement
    milestones: dict[str, Milestone]
    documents: dict[str, AgreementDocument]
    subscriptions: dict[str, Subscription]
    company_a: ResidentCompany
    company_b: ResidentCompany
    ip_a: IntellectualProperty
    ip_b: IntellectualProperty
    know_how_a: KnowHow
    know_how_b: KnowHow
    calendar_token: Any
    membership_a: Membership

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def _agreement_with_things(key: str, *parks: Technopolis, **fields) -> tuple[Agreement, Milestone, AgreementDocument]:
    agreement = factories.agreement_with_parties(*parks, **fields)
    milestone = factories.MilestoneFactory(
        agreement=agreement, title=f"Milestone of {fields['reference']}", due_on=datetime.date(2026, 3, 1)
    )
    document = factories.AgreementDocumentFactory(
        agreement=agreement,
        title=f"Document of {fields['reference']}",
        original_filename=f"{key}.pdf",
        file=factory.django.FileField(filename=f"{key}.pdf", data=b"%PDF-1.4\n" + key.encode() + b"\n%%EOF\n"),
    )
    return agreement, milestone, document


def build_world() -> World:
    park_a = factories.TechnopolisFactory(name="Innopolis Alpha", short_name="Alpha", slug="alpha")
    park_b = factories.TechnopolisFactory(name="Technopolis Beta", short_name="Beta", slug="beta")
    park_c = factories.TechnopolisFactory(name="Technopark Gamma", short_name="Gamma", slug="gamma")
    viewer = factories.member(park_a, Membership.Role.VIEWER, username="viewer")
    ac, m_ac, d_ac = _agreement_with_things(
        "ac",
        park_a,
        park_c,
        reference="AC-SECRET-001",
        title="Alpha and Gamma confidential plan",
        status=Agreement.Status.NEGOTIATION,
        is_public=False,
    )
    bc_secret, m_bcs, d_bcs = _agreement_with_things(
        "bcs",
        park_b,
        park_c,
        reference="BC-SECRET-002",
        title="Beta and Gamma confidential plan",
        status=Agreement.Status.NEGOTIATION,
        is_public=False,
    )
    bc_public, m_bcp, d_bcp = _agreement_with_things(
        "bcp",
        park_b,
        park_c,
        reference="BC-PUBLIC-003",
        title="Beta and Gamma public memorandum",
        status=Agreement.Status.NEGOTIATION,
        is_public=True,
    )
    subscriptions = {}
    for key, agreement in (("ac", ac), ("bc_secret", bc_secret), ("bc_public", bc_public)):
        subscription = factories.SubscriptionFactory(
            person=factories.PersonFactory(full_name=f"Digest reader {key}"),
            delivery=Subscription.Delivery.DIGEST,
        )
        subscription.agreements.add(agreement)
        subscriptions[key] = subscription
    company_a = factories.ResidentCompanyFactory(technopolis=park_a, name="Alpha Robotics")
    company_b = factories.ResidentCompanyFactory(technopolis=park_b, name="Beta Photonics")
    return World(
        park_a=park_a,
        park_b=park_b,
        park_c=park_c,
        viewer=viewer,
        editor=factories.member(park_a, Membership.Role.EDITOR, username="editor"),
        outsider=factories.member(park_b, Membership.Role.EDITOR, username="outsider"),
        admin=factories.SuperuserFactory(username="boss"),
        ac=ac,
        bc_secret=bc_secret,
        bc_public=bc_public,
        milestones={"ac": m_ac, "bc_secret": m_bcs, "bc_public": m_bcp},
        documents={"ac": d_ac, "bc_secret": d_bcs, "bc_public": d_bcp},
        subscriptions=subscriptions,
        company_a=company_a,
        company_b=company_b,
        ip_a=factories.IntellectualPropertyFactory(company=company_a, title="Alpha gripper patent"),
        ip_b=factories.IntellectualPropertyFactory(company=company_b, title="Beta laser patent"),
        know_how_a=factories.KnowHowFactory(company=company_a, title="ALPHA-SECRET-KNOWHOW"),
        know_how_b=factories.KnowHowFactory(company=company_b, title="BETA-SECRET-KNOWHOW"),
        calendar_token=factories.CalendarTokenFactory(user=viewer),
        membership_a=Membership.objects.get(user=viewer),
    )


def log_in(client, user: User | None):
    if user is not None:
        client.force_login(user)
    return client


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


def outcomes(anonymous, viewer, editor, outsider, admin) -> dict[str, int | str]:
    return dict(zip(ROLES, (anonymous, viewer, editor, outsider, admin), strict=True))


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
BC_PUBLIC_ACTION = outcomes(LOGIN, 403, 403, 302, 302)
EVERYONE_NOT_FOUND = outcomes(LOGIN, 404, 404, 404, 404)


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
    # The language switcher works signed in or not (the login page has it too).
    Row(
        "portal:set_language",
        outcomes(302, 302, 302, 302, 302),
        method="post",
        data=lambda w: {"language": "ru", "next": "/"},
    ),
    Row("portal:calendar_feed", NO_LOGIN_NEEDED, args=lambda w: [w.calendar_token.token]),
    # API tokens (issue 8): each person sees, creates and revokes only their own.
    Row("api_tokens:list", EVERYONE_SIGNED_IN),
    Row("api_tokens:revoke", outcomes(LOGIN, 302, 404, 404, 404), args=_viewer_api_token, method="post"),
    Row("portal:calendar_feed", outcomes(404, 404, 404, 404, 404), args=lambda w: ["not-a-token"], variant="unknown"),
    Row("portal:staff", ADMINS_ONLY),
    Row("portal:staff_add", ADMINS_ONLY),
    Row("portal:staff_edit", ADMINS_ONLY, args=lambda w: [w.membership_a.pk]),
    Row("portal:staff_remove", ADMINS_ONLY, args=lambda w: [w.membership_a.pk]),
    Row(
        "portal:staff_remove",
        outcomes(LOGIN, 403, 403, 403, 302),
        args=lambda w: [w.membership_a.pk],
        method="post",
        variant="POST",
    ),
    # --- parks --------------------------------------------------------------------------------
    Row("parks:list", EVERYONE_SIGNED_IN),
    Row("parks:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.park_b.slug], variant="park B"),
    Row("parks:detail", EVERYONE_NOT_FOUND, args=lambda w: ["no-such-park"], variant="unknown"),
    # --- residents and IP -----------------------------------------------------------------------
    Row("residents:list", EVERYONE_SIGNED_IN),
    Row("residents:export", EVERYONE_SIGNED_IN),
    Row("residents:create", ANY_EDITOR),
    Row("residents:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.company_b.pk], variant="company of B"),
    Row("residents:edit", outcomes(LOGIN, 403, 200, 403, 200), args=lambda w: [w.company_a.pk], variant="of A"),
    Row("residents:edit", outcomes(LOGIN, 403, 403, 200, 200), args=lambda w: [w.company_b.pk], variant="of B"),
    Row("ip:list", EVERYONE_SIGNED_IN),
    Row("ip:detail", EVERYONE_SIGNED_IN, args=lambda w: [w.ip_b.pk], variant="patent of B"),
    # --- agreements -----------------------------------------------------------------------------
    Row("agreements:list", EVERYONE_SIGNED_IN),
    Row("agreements:export", EVERYONE_SIGNED_IN),
    Row("agreements:milestones", EVERYONE_SIGNED_IN),
    Row("agreements:milestone_export", EVERYONE_SIGNED_IN),
    Row("agreements:create", ANY_EDITOR),
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
        variant="A–C confidential",
    ),
    Row(
        "agreements:milestone_done",
        BC_SECRET_ACTION,
        args=lambda w: [w.bc_secret.pk, w.milestones["bc_secret"].pk],
        method="post",
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
    Row("agreements:archive", outcomes(LOGIN, 405, 405, 405, 405), args=_ac, variant="GET"),
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
        outcomes(LOGIN, 404, 404, 404, 404),
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
    # --- exchange: spreadsheet import/export and the agreement PDF (issue 8) ---------------------------
    Row("exchange:import", ANY_EDITOR),
    Row(
        "exchange:import_confirm",
        outcomes(LOGIN, 403, 302, 302, 302),
        method="post",
        data=lambda w: {"token": "forged"},
        variant="forged token: back to the upload page, nothing written",
    ),
    Row("exchange:template", EVERYONE_SIGNED_IN, args=lambda w: ["companies", "xlsx"]),
    Row("exchange:export", EVERYONE_SIGNED_IN, args=lambda w: ["agreements", "csv"]),
    Row("exchange:agreement_pdf", AC_READ, args=_ac, variant="A–C confidential"),
    Row("exchange:agreement_pdf", BC_SECRET_READ, args=lambda w: [w.bc_secret.pk], variant="B–C confidential"),
    Row("exchange:agreement_pdf", EVERYONE_SIGNED_IN, args=lambda w: [w.bc_public.pk], variant="B–C public"),
    # --- accounts: two-factor sign-in (issue 5) ----------------------------------------------------
    Row("accounts:two_factor_setup", EVERYONE_SIGNED_IN),
    # Nobody here has a device yet: the code page sends them to set one up.
    Row("accounts:two_factor_verify", outcomes(LOGIN, 302, 302, 302, 302)),
    Row("accounts:two_factor_remove", outcomes(LOGIN, 302, 302, 302, 302), method="post"),
    Row("accounts:two_factor_remove", outcomes(LOGIN, 405, 405, 405, 405), variant="GET"),
    # --- operations ----------------------------------------------------------------------------------
    Row("healthz", NO_LOGIN_NEEDED, prepare=_broker_up),
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


def test_every_url_of_the_project_has_expected_outcomes():
    """A new view must be added to EXPECTATIONS, with the outcome for each kind of person."""
    missing = project_url_names() - {row.name for row in EXPECTATIONS}
    assert not missing, f"add rows to EXPECTATIONS for: {sorted(missing)}"


def test_every_row_gives_an_outcome_for_every_role():
    for row in EXPECTATIONS:
        assert set(row.expected) == set(ROLES), row.id
        assert row.method in ("get", "post"), row.id


def test_the_excluded_auth_views_exist():
    """The exclusion list names real views, so it cannot hide a portal URL by a typo."""
    for name in AUTH_VIEWS:
        assert reverse(name, kwargs={"uidb64": "x", "token": "y"} if name == "password_reset_confirm" else None)


# --- the matrix ---------------------------------------------------------------------------------------

# What a refused request must leave untouched: every record of the portal's apps, with history.
SNAPSHOT_APPS = ("agreements", "residents", "parks", "notifications", "portal", "auth")


def snapshot() -> dict[str, list[dict]]:
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in SNAPSHOT_APPS:
            rows = list(model.objects.order_by("pk").values())
            for row in rows:
                row.pop("last_login", None)
            state[model._meta.label] = rows
    return state


@pytest.fixture(autouse=True)
def _english_and_temporary_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _cases():
    for row in EXPECTATIONS:
        for role in ROLES:
            yield pytest.param(row, role, id=f"{row.id}-{role}")


@pytest.mark.parametrize(("row", "role"), list(_cases()))
def test_permission_matrix(client, db, monkeypatch, row: Row, role: str):
    if row.name not in project_url_names():
        pytest.fail(f"{row.name} is in the expectations but not in the URL configuration: remove the row")
    world = build_world()
    if row.prepare:
        row.prepare(world, monkeypatch)
    url = reverse(row.name, args=row.args(world) if row.args else None) + row.query
    log_in(client, world.user(role))
    expected = row.expected[role]
    before = snapshot()

    send = client.post if row.method == "post" else client.get
    response = send(url, row.data(world) if row.data else {})

    if expected == LOGIN:
        assert response.status_code == 302, f"{row.id} as {role}: {response.status_code}"
        assert response.url.startswith(reverse("login")), response.url
    else:
        assert response.status_code == expected, f"{row.id} as {role}: {response.status_code}"
        if expected == 302:
            assert not response.url.startswith(reverse("login")), response.url
    if expected in (LOGIN, 403, 404, 405):
        assert snapshot() == before, f"{row.id} as {role} was refused but changed records"


def test_the_matrix_size():
    """Documents the size of the matrix: URL names × roles (and rows, with variants, × roles)."""
    names = {row.name for row in EXPECTATIONS}
    assert len(names) >= 40
    assert len(EXPECTATIONS) * len(ROLES) >= 300


# Actions change records: a GET (a prefetching browser, a crawler, a link in an e-mail) must not.
POST_ONLY = sorted(
    {row.name for row in EXPECTATIONS if row.method == "post"} - {"portal:staff_remove"}  # GET: the confirmation
)


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_a_get_even_for_an_admin(client, db, name):
    if name not in project_url_names():
        pytest.fail(f"{name} is in the expectations but not in the URL configuration: remove the row")
    world = build_world()
    row = next(row for row in EXPECTATIONS if row.name == name and row.method == "post")
    client.force_login(world.admin)
    before = snapshot()

    response = client.get(reverse(name, args=row.args(world) if row.args else None))

    assert response.status_code == 405
    assert snapshot() == before
