"""gunicorn's settings for the portal, read from the working directory (Dockerfile, compose, make bench)."""

from gunicorn.http import wsgi

# Every response otherwise names the server and its version ("Server: gunicorn/27.0.1"), which tells
# an attacker what to look up. The header is optional in HTTP; a neutral value keeps clients happy.
wsgi.SERVER = "portal"
