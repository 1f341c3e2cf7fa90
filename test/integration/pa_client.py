"""Talking to a running `waf postanalytics`: the process wrapper (wafproc.Proxy: JSON log lines,
clean-exit check; ports from the `listening` lines of the `ingest` and `http` listeners), HTTP
helpers, and builders of waf.event/v1 and waf.stats/v1 lines."""
import http.client
import json
import signal

from wafproc import Proxy


class Postanalytics(Proxy):
    """One running `waf postanalytics`."""

    def wait_ready(self):
        self.ingest_port = self._listening_port("ingest")
        self.http_port = self._listening_port("http")
        self.port = self.ingest_port
        self.admin_port = self.http_port
        return self

    def request(self, port, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, dict(resp.getheaders()), data
        finally:
            conn.close()

    def api(self, method, path, token=None, body=None, headers=None):
        """(status, headers, parsed JSON or raw bytes) of an /api call."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = f"Bearer {token}"
        if body is not None and not isinstance(body, (bytes, str)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        status, headers_out, data = self.request(self.http_port, method, path, body, h)
        try:
            return status, headers_out, json.loads(data) if data else None
        except ValueError:
            return status, headers_out, data

    def send_batch(self, lines, sender="test:1:0", seq=1, conn=None):
        """POSTs NDJSON lines (dicts or strings); returns (status, parsed body)."""
        body = "\n".join(l if isinstance(l, str) else json.dumps(l) for l in lines).encode()
        headers = {"Content-Type": "application/x-ndjson", "X-Waf-Sender": sender, "X-Waf-Batch-Seq": str(seq)}
        if conn is None:
            status, _, data = self.request(self.ingest_port, "POST", "/ingest/v1/batch", body, headers)
        else:
            conn.request("POST", "/ingest/v1/batch", body=body, headers=headers)
            resp = conn.getresponse()
            status, data = resp.status, resp.read()
        return status, json.loads(data) if data else None

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        for t in self._threads:
            t.join(5)


def postanalytics_argv(binary, extra=()):
    extra = list(extra)
    args = [binary, "postanalytics"]
    for flag, value in {"--listen": "127.0.0.1:0", "--http-listen": "127.0.0.1:0", "--log-format": "json"}.items():
        if flag not in extra:
            args += [flag, value]
    return args + extra


def event(n, ip="203.0.113.7", path="/search", classes=("sqli",), action="blocked", ns="shop", app="web",
          time="2026-11-22T15:45:56.123Z"):
    """A waf.event/v1 object; request_id carries n so tests can find each event again."""
    return {"schema": "waf.event/v1", "time": time, "request_id": f"req-{n}", "namespace": ns, "pod": f"{app}-1",
            "app": app, "client_ip": ip, "method": "GET", "host": "shop.example", "path": path,
            "classes": list(classes),
            "findings": [{"class": c, "location": "query.q", "evidence": "1' or '1'='1", "score": 90} for c in classes],
            "action": action, "status": 403 if action == "blocked" else 200, "partial_inspection": False}


def stats(minute="2026-11-22T15:45:00.000Z", requests=100, ns="shop", app="web", rows=()):
    return {"schema": "waf.stats/v1", "minute": minute, "namespace": ns, "pod": f"{app}-1", "app": app,
            "requests": requests, "status": {"1xx": 0, "2xx": requests - 10, "3xx": 0, "4xx": 10, "5xx": 0},
            "rows": list(rows), "rows_dropped": 0}
