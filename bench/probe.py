"""The benchmark's steps that run inside Django: a staff session, query counts, the e-mail runs.

Run by bench/run.py in a fresh process each (`python bench/probe.py STEP`), with
DJANGO_SETTINGS_MODULE=bench.settings and the benchmark's database; prints one JSON object.
Each e-mail step runs in its own process so that its peak memory (ru_maxrss) is its own.
"""

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.mail import EmailMultiAlternatives, get_connection  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.sessions import PENDING_KEY, mark_refreshed  # noqa: E402
from agreements.models import Agreement, AgreementParty  # noqa: E402
from notifications.delivery import outbox_deliver  # noqa: E402
from notifications.digests import digests_run  # noqa: E402
from notifications.models import EventClaim, OutgoingEmail  # noqa: E402
from notifications.planning import reminders_plan  # noqa: E402
from parks.models import Technopolis  # noqa: E402

STAFF = "bench-staff"
DELIVERY_BATCH = 1000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def session() -> dict:
    """A staff user's session that passed two-factor (the admin needs it), and the pages to load."""
    user, _created = User.objects.get_or_create(username=STAFF, defaults={"is_staff": True, "is_superuser": True})
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Bench", confirmed=True
    )
    client = Client()
    client.force_login(user)
    browser_session = client.session
    browser_session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    browser_session.pop(PENDING_KEY, None)
    mark_refreshed(browser_session)
    browser_session.save()
    # A typical agreement (synthetic ones have the average number of milestones) and a busy park.
    agreement = Agreement.objects.filter(is_synthetic=True).order_by("pk").first()
    park = Technopolis.objects.filter(is_synthetic=True).order_by("pk").first()
    party_park = AgreementParty.objects.filter(agreement=agreement).values_list("technopolis_id", flat=True).first()
    pages = {
        "baseline": reverse("bench_baseline"),
        "dashboard": reverse("portal:dashboard"),
        "agreement list": reverse("agreements:list"),
        "agreement list filtered": f"{reverse('agreements:list')}?status=active&park={party_park}&sort=-expires_on",
        "agreement page": reverse("agreements:detail", args=[agreement.pk]),
        "park page": reverse("parks:detail", args=[park.slug]),
        "resident list": reverse("residents:list"),
        "company page": reverse("residents:detail", args=[park.resident_companies.order_by("pk").first().pk]),
        "search": f"{reverse('portal:search')}?q=Synthetic+00042",
        "milestone list": reverse("agreements:milestones"),
        "ip list": reverse("ip:list"),
        "network": reverse("network:network"),
        "innovation chain": reverse("network:coverage"),
        "track record": reverse("network:track_record"),
        "admin changelist": reverse("admin:agreements_agreement_changelist"),
    }
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={browser_session.session_key}", "pages": pages}


def queries(pages: dict) -> dict:
    """Each page's SQL queries served again (its body kept, as under load) and made afresh (the first
    request after a change), and the in-process time of making it (median of 5, the cache emptied)."""
    client = Client()
    name, _sep, key = os.environ["BENCH_COOKIE"].partition("=")
    client.cookies[name] = key
    kept, made, made_ms = {}, {}, {}
    for page, url in pages.items():
        times = []
        for _attempt in range(5):
            cache.clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            made[page] = len(captured)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{page} ({url}) answered {response.status_code}")
        kept[page] = len(captured)
        made_ms[page] = round(statistics.median(times), 1)
    return {"kept": kept, "made": made, "made_ms": made_ms}


class QueryCounter:
    """Counts queries without keeping their SQL (CaptureQueriesContext keeps 9,000 at most, and their text)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _deliver_all() -> tuple[int, int]:
    """Sends everything queued, as workers draining the outbox would; (sent, queries)."""
    sent, counter = 0, QueryCounter()
    with connection.execute_wrapper(counter):
        while True:
            report = outbox_deliver(limit=DELIVERY_BATCH)
            sent += report.sent
            if not (report.sent or report.retrying or report.failed or report.bounced):
                break
    return sent, counter.count


def mail_run(kind: str) -> dict:
    today = timezone.localdate()
    started, counter = time.perf_counter(), QueryCounter()
    with connection.execute_wrapper(counter):
        planned = len(reminders_plan(today=today)) if kind == "reminders" else digests_run(today=today)
    planned_in = time.perf_counter() - started
    sent, delivery_queries = _deliver_all()
    total = time.perf_counter() - started
    return {
        "step": kind,
        "planned": planned,
        "plan_seconds": round(planned_in, 2),
        "plan_queries": counter.count,
        "sent": sent,
        "delivery_queries": delivery_queries,
        "seconds": round(total, 2),
        "per_second": round(sent / total, 1) if total else 0,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def mail_baseline(count: int) -> dict:
    """The same number of pre-built messages (a typical digest's size) over one connection."""
    sample = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST).order_by("pk").first()
    text, html = (sample.text_body, sample.html_body) if sample else ("x" * 2000, "<p>x</p>" * 250)
    messages = []
    for n in range(count):
        message = EmailMultiAlternatives(f"Digest {n}", text, settings.DEFAULT_FROM_EMAIL, [f"to{n}@bench.invalid"])
        message.attach_alternative(html, "text/html")
        messages.append(message)
    started = time.perf_counter()
    with get_connection(backend=settings.EMAIL_DELIVERY_BACKEND) as smtp:
        sent = smtp.send_messages(messages)
    seconds = time.perf_counter() - started
    return {
        "step": "pre-built baseline",
        "sent": sent,
        "seconds": round(seconds, 2),
        "per_second": round(sent / seconds, 1) if seconds else 0,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def digests_reset() -> dict:
    """Forgets today's digests (outbox rows and the events they claimed), so that a run plans them again."""
    digests = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST)
    keys = list(digests.values_list("dedup_key", flat=True))
    claims = EventClaim.objects.filter(dedup_key__in=keys).delete()[0]
    return {"step": "digests-reset", "digests": digests.delete()[0], "claims": claims}


def digests_progress() -> dict:
    digests = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.DIGEST)
    return {
        "sent": digests.filter(status=OutgoingEmail.Status.SENT).count(),
        "open": digests.exclude(status=OutgoingEmail.Status.SENT).count(),
    }


def main(argv: list[str]) -> None:
    step = argv[1]
    if step == "session":
        result = session()
    elif step == "queries":
        result = queries(json.loads(argv[2]))
    elif step in ("reminders", "digests"):
        result = mail_run(step)
    elif step == "digests-reset":
        result = digests_reset()
    elif step == "digests-progress":
        result = digests_progress()
    elif step == "mail-baseline":
        result = mail_baseline(int(argv[2]))
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
