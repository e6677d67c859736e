"""The resident list's first page is read from an index on its order, in either language, instead of
sorting every company (docs/performance.md, round 3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parks.models import Membership
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "index"), [("en", "resident_list_order_en"), ("ru", "resident_list_order_ru")])
def test_the_resident_lists_order_can_be_read_from_its_index(client, language, index):
    park = factories.TechnopolisFactory()
    factories.ResidentCompanyFactory(technopolis=park)
    client.force_login(factories.member(park, Membership.Role.VIEWER))
    client.post(reverse("accounts:set_language"), {"language": language, "next": "/"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("residents:list"))
    assert response.status_code == 200
    [sql] = [query["sql"] for query in queries if query["sql"].startswith('SELECT "residents_residentcompany"."id"')]
    assert f'ORDER BY "residents_residentcompany"."name_{language}" ASC' in sql
    with connection.cursor() as cursor:
        # Asked with sorting and sequential scans off: can the index give the order?
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Scan using {index}" in plan, plan
