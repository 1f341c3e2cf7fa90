"""Fixtures that run the real `waf proxy` against a recording fake upstream on loopback.

WAF_BIN is the binary under test (the ASan/UBSan build under `make test`); WAF_STATIC_BIN is the
shipped static binary (used where ASan would distort the measurement: RSS, and for the scratch /
chroot checks). Each proxy is started with port 0 and its real ports are read from its JSON
`listening` log lines; at teardown it gets SIGTERM and must exit 0 with no sanitizer report.
"""
import os
import signal

import pytest

from pa_client import Postanalytics, postanalytics_argv
from upstream import Upstream
from wafproc import Proxy, proxy_argv

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def _binary(env_name, default):
    """The binary named by env_name; when the variable is unset, the default build (skipping if it
    was not built). A variable that points nowhere is an error: CI must not pass by skipping."""
    explicit = os.environ.get(env_name)
    path = os.path.abspath(explicit or os.path.join(REPO, default))
    if not os.path.exists(path):
        if explicit:
            pytest.fail(f"{env_name}={explicit}: no such file (build it first: 'make build' / 'make build-asan')")
        pytest.skip(f"{env_name} unset and no waf binary at {path} (run 'make build' / 'make build-asan')")
    return path


@pytest.fixture(scope="session")
def waf_bin():
    return _binary("WAF_BIN", "build/asan/waf")


@pytest.fixture(scope="session")
def waf_static_bin():
    return _binary("WAF_STATIC_BIN", "build/release/waf")


@pytest.fixture
def upstream():
    up = Upstream()
    yield up
    up.stop()


@pytest.fixture
def make_upstream():
    made = []

    def make(**kw):
        up = Upstream(**kw)
        made.append(up)
        return up
    yield make
    for up in made:
        up.stop()


@pytest.fixture
def start_proxy(waf_bin):
    """start_proxy(upstream_address, *extra_flags, binary=None, env=None) -> Proxy; every proxy is
    stopped at the end of the test and must exit cleanly."""
    started = []

    def start(upstream_address, *extra, binary=None, env=None, argv=None):
        p = Proxy(argv or proxy_argv(binary or waf_bin, upstream_address, extra), env=env)
        started.append(p)
        return p.wait_ready()
    yield start
    errors = []
    for p in started:
        try:
            p.stop()
        except AssertionError as e:
            errors.append(str(e))
    assert not errors, "\n\n".join(errors)


@pytest.fixture
def start_postanalytics(waf_bin):
    """start_postanalytics(*flags, env=None) -> Postanalytics (pa_client.py); each is stopped
    (SIGTERM, clean exit) at the end unless the test killed it."""
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
def proxy(start_proxy, upstream):
    """A proxy with one worker in front of the default recording upstream."""
    return start_proxy(upstream.address, "--workers", "1")

