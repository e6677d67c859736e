"""`make run` on the embedded SQLite default: the demo's pages open for a signed-in user.

The other tests run on PostgreSQL, where pages load their short lists inside one query
(common.json_prefetch); this one guards the SQLite fallback and every migration on SQLite, in
processes of their own with a temporary database file.
"""

import json
import os
import subprocess
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run by `manage.py shell`: a few records beyond the demo (so that every list of the pages has
# rows), a sign-in through the login form, then each page's status and text as one JSON line.
PAGES_SCRIPT = """
import json
from django.contrib.auth.models import User
from django.test import Client
from agreements.models import Agreement
from demo.seed import DEMO_AGREEMENT_REFERENCE
from parks.models import Sector, Technopolis
from tests import factories

agreement = Agreement.objects.get(reference=DEMO_AGREEMENT_REFERENCE)
himgrad = Technopolis.objects.get(slug="himgrad")
company = factories.ResidentCompanyFactory(technopolis=himgrad, name="Polymer Lab (quick run)")
company.sectors.add(Sector.objects.get(slug="energy-saving"))
factories.ProductFactory(company=company, name="Recycled granulate (quick run)")
agreement.resident_companies.add(company)
agreement.ip_records.add(factories.IntellectualPropertyFactory(company=company, title="Granulate patent (quick run)"))
agreement.know_how.add(factories.KnowHowFactory(company=company, title="Curing recipe (quick run)"))
party = agreement.parties.get(technopolis=himgrad)
party.witnesses.add(factories.PersonFactory(full_name="Party Witness (quick run)", technopolis=himgrad))
factories.AgreementFactory(parent=agreement, parent_relation="amendment", title="Amendment no. 1 (quick run)")
User.objects.create_user("staff", password="quick-run-password", is_staff=True)

client = Client(HTTP_HOST="127.0.0.1:8000")  # where `make run` serves
signed_in = client.post("/accounts/login/", {"username": "staff", "password": "quick-run-password"})
pages = {
    "sign-in": signed_in,
    "dashboard": client.get("/"),
    "agreements": client.get("/agreements/"),
    "agreement": client.get(f"/agreements/{agreement.pk}/"),
    "parks": client.get("/parks/"),
    "himgrad": client.get("/parks/himgrad/"),
    "gousev": client.get("/parks/gousev/"),
    "companies": client.get("/residents/"),
    "company": client.get(f"/residents/{company.pk}/"),
}
print("PAGES " + json.dumps({name: [page.status_code, page.content.decode()] for name, page in pages.items()}))
"""


def _manage(*args: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_demo_pages_open_on_the_embedded_sqlite_of_the_quick_run(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quick-run.sqlite3'}",
        # Nothing queued into the developer's var/celery/ by the records the script adds.
        "CELERY_BROKER_URL": "memory://",
    }
    _manage("migrate", "--noinput", "-v0", env=env)
    assert "Demo data ready" in _manage("load_demo", env=env)
    output = _manage("shell", "-c", PAGES_SCRIPT, env=env)
    pages = json.loads(next(line for line in output.splitlines() if line.startswith("PAGES "))[len("PAGES ") :])

    def shows(name: str, text: str) -> bool:  # the text as the page's HTML writes it (" as &quot;)
        return escape(text) in pages[name][1]

    assert pages.pop("sign-in")[0] == 302
    assert {name: status for name, (status, _html) in pages.items()} == dict.fromkeys(pages, 200)
    title = "Agreement on collaboration and joint scientific, technical and innovation cooperation"
    for name in ("agreements", "agreement", "himgrad", "gousev"):
        assert shows(name, title), name
    assert shows("dashboard", "HIM-GOU-001")  # the demo agreement's overdue milestone
    for shown in (
        "Alexey Liulin",  # a party's signatory
        "Party Witness (quick run)",  # a party's witness
        "Artem Zdunov",  # the agreement's witness
        "Polymer Lab (quick run)",
        "Curing recipe (quick run)",
        "Granulate patent (quick run)",
        "Amendment no. 1 (quick run)",  # related agreements
        "Appoint coordinators on both sides",  # a milestone
    ):
        assert shows("agreement", shown), shown
    assert 'Business idea<span class="visually-hidden"> (covered)' in pages["agreement"][1]  # the demo's scope
    assert shows("himgrad", 'Technopolis "Himgrad"')
    assert shows("himgrad", "Yana Stoyanova")  # the park's people
    assert shows("gousev", "Technopolis Gousev")
    assert shows("parks", "Technopolis Gousev")
    assert shows("companies", "Polymer Lab (quick run)")
    assert shows("company", "Recycled granulate (quick run)")
    for shown in ("Energy saving", "Granulate patent (quick run)", "Curing recipe (quick run)"):
        assert shows("company", shown), shown
