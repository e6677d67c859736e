"""The structured log events a test caught (operations/jsonlog.py writes each as one JSON line)."""

import logging


def log_events(caplog, name: str) -> list[logging.LogRecord]:
    return [record for record in caplog.records if getattr(record, "event", None) == name]
