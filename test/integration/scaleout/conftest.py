"""Fixtures of the scale-out tests: a real `redis-server` on a free loopback port (started and
stopped here), and `waf postanalytics` replicas through the wrapper of ../postanalytics/pa_client.py.
Without redis-server the Redis tests skip, or fail under WAF_E2E_REQUIRED=1 (CI installs it)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "postanalytics"))

from pa_client import Postanalytics, postanalytics_argv  # noqa: E402

REQUIRED = os.environ.get("WAF_E2E_REQUIRED") == "1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    """A throwaway redis-server: no persistence, loopback only, and a tiny RESP client."""

    def __init__(self, binary, workdir):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(workdir), "--protected-mode", "no"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.url = f"redis://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.command("PING") == "PONG":
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                out = self.proc.stdout.read().decode(errors="replace") if self.proc.poll() is not None else ""
                self.stop()
                raise AssertionError(f"redis-server did not answer PING on port {self.port}\n{out}")
            time.sleep(0.05)

    def command(self, *args):
        """Sends one command, returns the reply (str, int, None or list)."""
        out = f"*{len(args)}\r\n".encode()
        for a in args:
            a = str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
            s.sendall(out)
            reader = s.makefile("rb")
            return self._read(reader)

    def _read(self, reader):
        line = reader.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:].decode()
        if kind == b"+":
            return rest
        if kind == b"-":
            raise AssertionError(f"redis error: {rest}")
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = reader.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return [self._read(reader) for _ in range(int(rest))]
        raise AssertionError(f"bad RESP line {line!r}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server is not installed (Debian package redis-server; scripts/deps.sh test)"
        if REQUIRED:
            pytest.fail(f"WAF_E2E_REQUIRED=1 but {reason}")
        pytest.skip(reason)
    r = Redis(binary, tmp_path)
    yield r
    r.stop()


@pytest.fixture
def start_postanalytics(waf_bin):
    """start_postanalytics(*flags) -> Postanalytics; each must exit cleanly at the end."""
    started = []

    def start(*extra, env=None):
        p = Postanalytics(postanalytics_argv(waf_bin, extra), env=env)
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


def wait_for(predicate, timeout=10.0, what="condition"):
    """Polls predicate (bounded); returns its last truthy value or fails with `what`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)
