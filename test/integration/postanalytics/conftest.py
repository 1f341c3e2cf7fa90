"""Fixtures that run the real `waf postanalytics` on loopback ports (see pa_client.py)."""
import signal

import pytest

from pa_client import Postanalytics, postanalytics_argv


@pytest.fixture
def start_postanalytics(waf_bin):
    """start_postanalytics(*flags) -> Postanalytics; each is stopped (SIGTERM, clean exit) at the end
    unless the test killed it."""
    started = []

    def start(*extra, env=None):
        p = Postanalytics(postanalytics_argv(waf_bin, extra), env=env)
        started.append(p)
        return p.wait_ready()
    yield start
    errors = []
    for p in started:
        if p.proc.returncode == -signal.SIGKILL:
            continue
        try:
            p.stop()
        except AssertionError as e:
            errors.append(str(e))
    assert not errors, "\n\n".join(errors)


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text("t0ken-one\n")
    return path
