"""The network pages as their readers use them: what is drawn and counted, for whom, and the downloads."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, InnovationStage, Milestone
from network import layout
from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(db):
    return {
        name: factories.TechnopolisFactory(name=f"{name} Park", short_name=name, slug=name.lower(), region=region)
        for name, region in (
            ("Alpha", "Republic of Tatarstan"),
            ("Beta", "Kaliningrad Region"),
            ("Gamma", "Republic of Tatarstan"),
        )
    }


@pytest.fixture
def world(parks):
    alpha, beta, gamma = parks["Alpha"], parks["Beta"], parks["Gamma"]
    public = factories.agreement_with_parties(
        alpha,
        beta,
        reference="AB-1",
        status=Agreement.Status.ACTIVE,
        is_public=True,
        signed_on=datetime.date(2025, 3, 1),
    )
    secret = factories.agreement_with_parties(
        beta, gamma, reference="BG-SECRET", status=Agreement.Status.SIGNED, is_public=False
    )
    reader = factories.member(alpha, Membership.Role.VIEWER, username="reader")
    insider = factories.member(beta, Membership.Role.VIEWER, username="insider")
    for _ in range(3):
        factories.ResidentCompanyFactory(technopolis=beta)
    return {"public": public, "secret": secret, "reader": reader, "insider": insider, **parks}


def _page(client, user, name="network:network", **query):
    client.force_login(user)
    return client.get(reverse(name), query)


def test_the_network_draws_only_what_the_reader_may_see(client, world):
    seen_by_alpha = _page(client, world["reader"])
    seen_by_beta = _page(client, world["insider"])

    assert seen_by_alpha.context["graph"].agreements == 1
    assert seen_by_beta.context["graph"].agreements == 2
    page = seen_by_alpha.content.decode()
    assert "Gamma" not in page  # not even its node: no agreement Alpha's reader may see involves it
    assert "Beta Park: 3 resident companies, 1 agreements, 1 partner parks" in page
    beta_page = seen_by_beta.content.decode()
    assert "Beta – Gamma: 1 agreements" in beta_page


def test_a_line_lists_the_agreements_between_two_parks_that_the_reader_sees(client, world):
    beta, gamma = world["Beta"], world["Gamma"]
    client.force_login(world["reader"])
    hidden = client.get(reverse("network:edge", args=[beta.pk, gamma.pk])).content.decode()
    client.force_login(world["insider"])
    shown = client.get(reverse("network:edge", args=[beta.pk, gamma.pk])).content.decode()

    assert "BG-SECRET" not in hidden and "No agreement you can see links these two parks." in hidden
    assert "BG-SECRET" in shown


def test_filters_keep_the_agreements_asked_for_and_say_what_is_wrong(client, world):
    response = _page(client, world["insider"], status="signed")
    assert response.context["graph"].agreements == 1

    response = _page(client, world["insider"], signed_from="2026", signed_to="2020")
    assert "The last year cannot come before the first (2026)." in response.content.decode()


def test_the_downloads_give_the_picture_and_its_figures_in_the_readers_language(client, world):
    svg = _page(client, world["insider"], format="svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert svg["Content-Disposition"] == 'attachment; filename="network.svg"'
    assert b"<svg" in svg.content and b"Beta" in svg.content and b"http" in svg.content  # full addresses

    png = _page(client, world["insider"], format="png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")

    client.cookies["django_language"] = "ru"
    figures = client.get(reverse("network:network"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(figures.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Парк", "Парк-партнёр", "Соглашения"]
    assert sorted(rows[1:]) == [["Alpha", "Beta", "1", "1", "0", "0", "0"], ["Beta", "Gamma", "1", "0", "1", "0", "0"]]

    workbook = client.get(reverse("network:network"), {"format": "xlsx"})
    assert workbook["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert _page(client, world["insider"], format="gif").status_code == 404


def test_the_innovation_chain_shows_what_each_park_covers_and_the_gaps(client, world):
    idea, research, promotion = (InnovationStage.objects.get(code=code) for code in ("idea", "research", "promotion"))
    world["public"].scope.add(idea, research)

    response = _page(client, world["reader"], "network:coverage")

    coverage = response.context["coverage"]
    rows = {str(subject): values for subject, values in coverage.rows}
    stages = [stage.code for stage in coverage.stages]
    assert rows["Alpha"][stages.index("idea")] == 1 and rows["Alpha"][stages.index("promotion")] == 0
    assert promotion in coverage.gaps and idea not in coverage.gaps

    one_park = client.get(reverse("network:coverage"), {"park": "alpha"})
    assert [subject.reference for subject, _values in one_park.context["coverage"].rows] == ["AB-1"]


def test_the_track_record_counts_milestones_on_time_late_and_overdue(client, world):
    today = timezone.localdate()
    agreement = world["public"]
    Agreement.objects.filter(pk=agreement.pk).update(effective_from=today - datetime.timedelta(days=900))
    due = today - datetime.timedelta(days=30)
    done = Milestone.Status.DONE
    factories.MilestoneFactory(agreement=agreement, due_on=due, status=done, completed_on=due)
    factories.MilestoneFactory(agreement=agreement, due_on=due, status=done, completed_on=due + datetime.timedelta(4))
    factories.MilestoneFactory(agreement=agreement, due_on=due, status=done, completed_on=due + datetime.timedelta(10))
    factories.MilestoneFactory(agreement=agreement, due_on=due)
    factories.MilestoneFactory(agreement=world["secret"], due_on=due)  # not the reader's to count

    record = _page(client, world["reader"], "network:track_record").context["record"]

    assert (record.on_time, record.late, record.overdue) == (1, 2, 1)
    assert record.on_time_rate == 33
    assert record.median_days_late == 7
    assert record.signed_per_year == [(2025, 1)]
    assert sum(quarter.due for quarter in record.quarters) == 4


def test_the_pages_run_the_same_queries_for_few_and_many_agreements(client, world):
    client.force_login(world["insider"])
    urls = [reverse(name) for name in ("network:network", "network:coverage", "network:track_record")]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    few = counts()
    for _ in range(12):
        agreement = factories.agreement_with_parties(
            world["Beta"], factories.TechnopolisFactory(), status=Agreement.Status.ACTIVE, is_public=True
        )
        factories.MilestoneFactory(agreement=agreement, due_on=timezone.localdate())

    assert counts() == few
    assert max(few) <= 10, few


def test_labels_never_collide_even_with_200_parks():
    import random

    chance = random.Random(3)  # noqa: S311 (a test's repeatable graph)
    nodes = list(range(200))
    edges = [(chance.randrange(200), chance.randrange(200), 1.0) for _ in range(400)]
    points = layout.positions(nodes, [e for e in edges if e[0] != e[1]], width=960, height=640, margin=48)
    labelled = [(pk, *points[pk], 6.0, f"Technopark number {pk}") for pk in nodes]

    labels = layout.place_labels(labelled, width=960, height=640, font_size=9.1)

    boxes = [label.box for label in labels.values()]
    assert len(labels) >= 20  # the busiest parks are named
    assert all(box.left >= 0 and box.right <= 960 and box.top >= 0 and box.bottom <= 640 for box in boxes)
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :] if a.overlaps(b)]
    assert overlapping == []
    # and no label covers another park's mark
    marks = [layout.Box(x - 6, y - 6, x + 6, y + 6) for pk, (x, y) in points.items()]
    covering = [pk for pk, label in labels.items() for mark in marks if label.box.overlaps(mark)]
    assert covering == []


def test_the_pictures_keep_their_coordinates_in_figures_a_browser_reads_whatever_the_language(client, world):
    """Russian writes 12,5 for 12.5; an SVG attribute must not."""
    world["public"].scope.add(InnovationStage.objects.get(code="idea"))
    client.force_login(world["insider"])
    client.cookies["django_language"] = "ru"
    for name in ("network:network", "network:coverage", "network:track_record"):
        page = client.get(reverse(name)).content.decode()

        assert "<svg" in page, name
        assert re.findall(r'(?:x|y|cx|cy|r|x1|y1|width|height)="\d+,\d+"', page) == [], name
        assert re.findall(r"translate\(\d+,\d+ ", page) == [], name
    assert re.search(r'cx="\d+\.\d+"', client.get(reverse("network:network")).content.decode())


def test_the_map_kept_between_requests_is_made_again_when_its_records_change(client, world):
    client.force_login(world["insider"])
    url = reverse("network:network")
    assert "Alpha – Gamma" not in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as kept:
        assert "Alpha – Gamma" not in client.get(url).content.decode()
    assert len(kept) <= 4  # session, user, park roles, the data's version: nothing recomputed

    factories.agreement_with_parties(world["Alpha"], world["Gamma"], is_public=True)
    assert "Alpha – Gamma: 1 agreements" in client.get(url).content.decode()

    gamma = world["Gamma"]
    gamma.short_name = "Gamma-Renamed"
    gamma.save()
    assert "Alpha – Gamma-Renamed: 1 agreements" in client.get(url).content.decode()


def test_the_kept_track_record_counts_a_milestone_done_since(client, world):
    today = timezone.localdate()
    Agreement.objects.filter(pk=world["public"].pk).update(effective_from=today - datetime.timedelta(days=900))
    due = today - datetime.timedelta(days=10)
    milestone = factories.MilestoneFactory(agreement=world["public"], due_on=due)
    client.force_login(world["reader"])
    url = reverse("network:track_record")
    assert client.get(url).context["record"].overdue == 1
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert len(kept) <= 4  # served as kept

    milestone.status, milestone.completed_on = Milestone.Status.DONE, due
    milestone.save()

    record = client.get(url).context["record"]
    assert (record.overdue, record.on_time) == (0, 1)


@pytest.mark.parametrize(
    ("counts", "median"),
    [
        ({}, None),
        ({4: 1}, 4.0),
        ({4: 1, 10: 1}, 7.0),
        ({4: 2, 10: 2}, 7.0),
        ({4: 3, 10: 1}, 4.0),
        ({1: 1, 5: 1, 9: 1}, 5.0),
    ],
)
def test_the_median_delay_is_read_from_the_counts_of_each_delay(counts, median):
    from collections import Counter

    from network.selectors import _median

    assert _median(Counter(counts)) == median
