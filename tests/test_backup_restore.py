"""The README's backup and restore steps, run for real: pg_dump, pg_restore into an empty database."""

import os
import shutil
import subprocess
import tarfile

import psycopg2
import pytest
from django.db import connection
from psycopg2 import sql

from tests import factories

PG_DUMP, PG_RESTORE, TAR = shutil.which("pg_dump"), shutil.which("pg_restore"), shutil.which("tar")


@pytest.fixture(autouse=True)
def _client_tools():
    # Fail loudly, never skip: the backup steps of the README need these commands.
    if not (PG_DUMP and PG_RESTORE and TAR):
        pytest.fail("pg_dump, pg_restore and tar are needed (Debian: postgresql-client, tar)")


def libpq_env() -> dict[str, str]:
    """The test database's connection settings, as pg_dump and pg_restore read them."""
    settings = connection.settings_dict
    values = {
        "PGHOST": settings["HOST"],
        "PGPORT": str(settings["PORT"] or ""),
        "PGUSER": settings["USER"],
        "PGPASSWORD": settings["PASSWORD"],
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def admin_sql(sql: str) -> None:
    settings = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres",
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute(sql)
    finally:
        server.close()


FINGERPRINT = sql.SQL("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {table} t")


def table_fingerprints(dbname: str) -> dict[str, tuple[int, str]]:
    """Per table: the number of rows and a checksum of every row's values."""
    settings = connection.settings_dict
    database = psycopg2.connect(
        dbname=dbname,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
            tables = [row[0] for row in cursor.fetchall()]
            fingerprints = {}
            for table in tables:
                cursor.execute(FINGERPRINT.format(table=sql.Identifier(table)))
                fingerprints[table] = cursor.fetchone()
            return fingerprints
    finally:
        database.close()


@pytest.fixture
def scratch_database(transactional_db):
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(f'CREATE DATABASE "{name}"')
    yield name
    admin_sql(f'DROP DATABASE IF EXISTS "{name}"')


def test_a_dump_restored_into_an_empty_database_gives_the_same_records(scratch_database, tmp_path):
    agreement = factories.AgreementFactory(title="Соглашение о сотрудничестве")
    factories.AgreementPartyFactory.create_batch(2, agreement=agreement)
    factories.MilestoneFactory(agreement=agreement)
    factories.ResidentCompanyFactory.create_batch(3)
    factories.TOTPDeviceFactory()
    dump = tmp_path / "portal.dump"
    source = connection.settings_dict["NAME"]

    # The commands of the README's "Backup and restore" section.
    subprocess.run([PG_DUMP, "-Fc", "-f", str(dump), source], env=libpq_env(), check=True, timeout=120)
    subprocess.run(
        [PG_RESTORE, "--no-owner", "--exit-on-error", "-d", scratch_database, str(dump)],
        env=libpq_env(),
        check=True,
        timeout=120,
    )

    original, restored = table_fingerprints(source), table_fingerprints(scratch_database)
    assert restored == original
    assert original["agreements_agreement"][0] == 1
    assert original["agreements_agreementparty"][0] == 2
    assert original["residents_residentcompany"][0] >= 3
    assert original["otp_totp_totpdevice"][0] == 1


def test_the_media_folder_survives_the_tar_round_trip(tmp_path):
    media = tmp_path / "media"
    (media / "agreements" / "documents").mkdir(parents=True)
    document = media / "agreements" / "documents" / "3f9c.pdf"
    document.write_bytes(b"%PDF-1.7 signed agreement")
    archive = tmp_path / "media.tar.gz"

    subprocess.run([TAR, "-czf", str(archive), "-C", str(media), "."], check=True, timeout=60)
    restored = tmp_path / "restored"
    restored.mkdir()
    subprocess.run([TAR, "-xzf", str(archive), "-C", str(restored)], check=True, timeout=60)

    assert (restored / "agreements" / "documents" / "3f9c.pdf").read_bytes() == document.read_bytes()
    with tarfile.open(archive) as contents:
        assert "./agreements/documents/3f9c.pdf" in contents.getnames()
