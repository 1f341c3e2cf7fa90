"""Fixtures of the scale-out tests: a real `redis-server` on a free loopback port (started and
stopped here); the replicas come from the start_postanalytics fixture of ../conftest.py.
Without redis-server the Redis tests skip, or fail under WAF_E2E_REQUIRED=1 (CI installs it)."""
import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

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

