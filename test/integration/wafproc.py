"""A running `waf proxy` process as the tests see it: ports from its `listening` log lines, its
JSON log, its admin endpoints, its RSS, and a shutdown that asserts a clean exit."""
import json
import os
import re
import signal
import subprocess
import threading
import time

from httpwire import Client, read_response, request_bytes

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "WARNING: AddressSanitizer", "ThreadSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")


class Proxy:
    """One running `waf proxy` process."""

    def __init__(self, argv, env=None, cwd=None):
        self.argv = argv
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=full_env, cwd=cwd)
        self.pid = self.proc.pid
        self.stderr_lines = []
        self.stdout_lines = []
        self._cond = threading.Condition()
        self._threads = [threading.Thread(target=self._drain, args=(self.proc.stderr, self.stderr_lines), daemon=True),
                         threading.Thread(target=self._drain, args=(self.proc.stdout, self.stdout_lines), daemon=True)]
        for t in self._threads:
            t.start()
        self.port = None
        self.admin_port = None

    def wait_ready(self):
        """Reads the real ports from the two `listening` log lines."""
        self.port = self._listening_port("proxy")
        self.admin_port = self._listening_port("admin")
        return self

    def _drain(self, stream, lines):
        for raw in stream:
            with self._cond:
                lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def wait_event(self, predicate, timeout=15.0, what="log line"):
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.stderr_lines:
                    try:
                        obj = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(obj, dict) and predicate(obj):
                        return obj
                if self.proc.poll() is not None and all(not t.is_alive() for t in self._threads):
                    raise AssertionError(f"waf exited ({self.proc.returncode}) before {what}; stderr:\n"
                                         + "\n".join(self.stderr_lines[-30:]))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no {what} within {timeout}s; stderr:\n" + "\n".join(self.stderr_lines[-30:]))
                self._cond.wait(min(left, 0.1))

    def _listening_port(self, listener):
        ev = self.wait_event(lambda o: o.get("event") == "listening" and o.get("listener") == listener,
                             what=f"'listening' event for the {listener} listener")
        return int(str(ev["address"]).rsplit(":", 1)[1])

    def stderr(self):
        with self._cond:
            return "\n".join(self.stderr_lines)

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    # --- convenience ---------------------------------------------------------------------------

    def client(self):
        return Client(self.port)

    def get(self, target="/", headers=None, **kw):
        with Client(self.port) as c:
            return c.request("GET", target, headers, **kw)

    def admin(self, path):
        with Client(self.admin_port) as c:
            c.send(request_bytes("GET", path, [("Connection", "close")]))
            return read_response(c.reader)

    def metrics(self):
        resp = self.admin("/metrics")
        assert resp.status == 200, resp
        return Metrics(resp.body.decode())

    def wait_metrics(self, expected, timeout=5.0):
        """Polls /metrics until every (name, {labels}, value) in `expected` holds, then returns the
        snapshot. Used for counters that move on their own time (connections closing, reloads); a
        mismatch after `timeout` fails with details.
        `value` may also be a predicate."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.metrics()
            wrong = []
            for name, labels, want in expected:
                got = m.get(name, **labels)
                ok = want(got) if callable(want) else got == want
                if not ok:
                    wrong.append(f"{name}{labels} = {got}, expected {getattr(want, '__doc__', None) or want}")
            if not wrong:
                return m
            if time.monotonic() > deadline:
                raise AssertionError("metrics did not settle:\n  " + "\n  ".join(wrong) + f"\n/metrics:\n{m.text}")
            time.sleep(0.02)

    def status(self):
        resp = self.admin("/status")
        assert resp.status == 200, resp
        return json.loads(resp.body)

    # --- shutdown ------------------------------------------------------------------------------

    def signal(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout=30.0):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"waf did not exit within {timeout}s; stderr:\n{self.stderr()[-3000:]}")
        for t in self._threads:
            t.join(5)
        return rc

    def stop(self, timeout=30.0):
        """SIGTERM, then asserts a clean exit: status 0 and no sanitizer report."""
        if self.proc.poll() is None:
            self.signal(signal.SIGTERM)
        rc = self.wait_exit(timeout)
        self.assert_clean(rc)

    def assert_clean(self, rc):
        err = self.stderr()
        for marker in SANITIZER_MARKERS:
            assert marker not in err, f"sanitizer report on stderr:\n{err[-6000:]}"
        assert rc == 0, f"waf exited with {rc}; stderr:\n{err[-3000:]}"


class Metrics:
    """Prometheus text exposition, parsed."""
    LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')
    LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')

    def __init__(self, text):
        self.text = text
        self.samples = []
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            m = self.LINE.match(line)
            assert m, f"not a Prometheus sample line: {line!r}"
            labels = dict(self.LABEL.findall(m.group(2) or ""))
            self.samples.append((m.group(1), labels, float(m.group(3))))

    def get(self, name, **labels):
        """Sum of the samples of `name` whose labels include `labels`; None if there is none."""
        found = [v for n, l, v in self.samples if n == name and all(l.get(k) == v2 for k, v2 in labels.items())]
        return sum(found) if found else None

    def value(self, name, **labels):
        v = self.get(name, **labels)
        assert v is not None, f"metric {name}{labels} missing from /metrics:\n{self.text}"
        return v


def proxy_argv(binary, upstream_address, extra=(), program=None):
    """argv of `waf proxy` (or of a `waf-proxy` symlink: program) on ephemeral loopback ports;
    `extra` flags override these defaults."""
    head = [program] if program else [binary, "proxy"]
    defaults = {"--listen": "127.0.0.1:0", "--admin-listen": "127.0.0.1:0", "--drain-timeout": "5s"}
    if upstream_address is not None:
        defaults["--upstream"] = upstream_address
    extra = list(extra)
    args = []
    for flag, value in defaults.items():
        if flag not in extra:
            args += [flag, value]
    return head + args + extra


def at_least(n):
    """A wait_metrics predicate: the value exists and is >= n."""
    def check(value):
        return value is not None and value >= n
    check.__doc__ = f">= {n}"
    return check
