"""Shared set-up of the agreements pages' tests (no tests here): parks, people in every role, posts."""

from dataclasses import dataclass

import factory
from django.contrib.auth.models import User

from agreements.models import Agreement, AgreementDocument, Milestone
from parks.models import Membership, Technopolis
from tests import factories
from tests.support.forms import form_values
from tests.support.personas import log_in  # noqa: F401  (the agreement tests' sign-in helper)

ROLES = ["anonymous", "viewer", "editor", "outsider", "admin"]


@dataclass
class World:
    """Park A (the reader's), its partner B and an unrelated park C.

    `agreement` is confidential between A and B, in negotiation, with an open milestone and a
    document; `public` is a public agreement between B and C.
    """

    park_a: Technopolis
    park_b: Technopolis
    park_c: Technopolis
    viewer: User
    editor: User
    outsider: User
    admin: User
    agreement: Agreement
    milestone: Milestone
    document: AgreementDocument
    public: Agreement

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def build_world() -> World:
    park_a = factories.TechnopolisFactory(name="Innopolis Alpha", short_name="Alpha")
    park_b = factories.TechnopolisFactory(name="Technopolis Beta", short_name="Beta")
    park_c = factories.TechnopolisFactory(name="Technopark Gamma", short_name="Gamma")
    agreement = factories.agreement_with_parties(
        park_a,
        park_b,
        reference="AB-001",
        title="Alpha and Beta joint laboratory",
        status=Agreement.Status.NEGOTIATION,
        is_public=False,
    )
    return World(
        park_a=park_a,
        park_b=park_b,
        park_c=park_c,
        viewer=factories.member(park_a, Membership.Role.VIEWER, username="viewer"),
        editor=factories.member(park_a, Membership.Role.EDITOR, username="editor"),
        outsider=factories.member(park_c, Membership.Role.EDITOR, username="outsider"),
        admin=factories.SuperuserFactory(username="boss"),
        agreement=agreement,
        milestone=factories.MilestoneFactory(agreement=agreement, title="Open the joint laboratory"),
        document=factories.AgreementDocumentFactory(
            agreement=agreement,
            title="Draft text",
            original_filename="Проект соглашения.pdf",
            file=factory.django.FileField(filename="x.pdf", data=b"%PDF-1.4\nsecret\n%%EOF\n"),
        ),
        public=factories.agreement_with_parties(
            park_b, park_c, reference="BC-002", title="Beta and Gamma public memorandum", is_public=True
        ),
    )


def page_data(response) -> dict[str, object]:
    """What the agreement form page in `response` posts unchanged: the form and both formsets."""
    data = form_values(response.context["form"])
    for name in ("parties", "milestones"):
        formset = response.context[name]
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    return data


def new_agreement_data(*parks: Technopolis, **fields) -> dict[str, object]:
    """A complete post of the create page: the agreement, one party per park, no milestones."""
    data: dict[str, object] = {
        "reference": "NEW-001",
        "title": "New cooperation agreement",
        "kind": Agreement.Kind.COOPERATION,
        "status": Agreement.Status.NEGOTIATION,
        "effective_from": "2026-01-01",
        "expires_on": "2028-12-31",
        "renewal": Agreement.Renewal.NONE,
        "milestone_confirmation": "one_side",
        "parties-TOTAL_FORMS": str(len(parks)),
        "parties-INITIAL_FORMS": "0",
        "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0",
    }
    for index, park in enumerate(parks):
        data[f"parties-{index}-technopolis"] = str(park.pk)
        data[f"parties-{index}-role"] = "partner"
    data.update(fields)
    return data


def add_rows(data: dict[str, object], prefix: str, rows: list[dict[str, object]]) -> dict[str, object]:
    """Appends `rows` as new forms of the formset whose management form has `prefix`."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{start + offset}-{field}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data
