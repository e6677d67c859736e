"""Settings for the benchmark only: the portal's own, plus the baseline page (bench/urls.py).

Everything else (database, secret key, hosts, DEBUG) comes from the environment that bench/run.py
sets, exactly as in production.
"""

from technopolis_portal.settings import *  # noqa: F403
from technopolis_portal.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# Django's test client (used to count queries) asks for "testserver".
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# collectstatic (needed with DEBUG off) writes here, in the git-ignored var/, apart from a deployment's.
STATIC_ROOT = BASE_DIR / "var" / "bench-static"
