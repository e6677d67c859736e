"""The portal under gunicorn, as the Dockerfile and compose run it: no server banner in the answers."""

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.support.processes import ROOT
from tests.support.smtp import free_port


def test_answers_do_not_name_the_server_software():
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {"PATH": os.environ["PATH"], "DEBUG": "true", "DATABASE_URL": "sqlite:///:memory:"}
    server = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
        [str(gunicorn), "technopolis_portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = None
        deadline = time.monotonic() + 30
        while response is None:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/accounts/login/")
                response = connection.getresponse()
            except ConnectionRefusedError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)

        assert response.status == 200
        assert "gunicorn" not in (response.getheader("Server") or "").lower()
        assert "no-store" in response.getheader("Cache-Control")
    finally:
        server.terminate()
        server.wait(timeout=10)
