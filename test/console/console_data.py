"""Attack events for the console test and bench: waf.event/v1 objects as a proxy sends them, sent
to a running `waf postanalytics` through its real ingest endpoint, and the numbers the console
must then show, computed here independently of the server."""
import collections
import http.client
import json
import random
import time
import urllib.parse
from datetime import datetime, timezone

# (class, location, evidence as the engine reports it, how it travels in the query)
ATTACKS = [
    ("sqli", "query.q", "1' or '1'='1", "/search", "q"),
    ("xss", "query.name", "<script>alert(1)</script>", "/profile", "name"),
    ("path_traversal", "query.file", "../../etc/passwd", "/download", "file"),
    ("command_injection", "query.host", ";cat /etc/shadow", "/ping", "host"),
    ("ssti", "query.tpl", "{{7*7}}", "/render", "tpl"),
]
WEIGHTS = [40, 25, 15, 12, 8]
APPS = [("shop", "shop"), ("shop", "cart"), ("billing", "invoices")]
ACTION_STATUS = [("blocked", 403), ("monitored", 200), ("denied", 403)]

# An event whose every free-text field is an XSS payload: the console must show it as text.
XSS_IP = "192.0.2.66"
XSS_MARK = "__waf_console_xss"
XSS_PAYLOADS = {
    "path": f"/x/<img src=x onerror=\"window.{XSS_MARK}=1\">",
    "host": f"<script>window.{XSS_MARK}=2</script>",
    "app": f"<svg onload=\"window.{XSS_MARK}=3\">",
    "evidence": f"<img src=x onerror=window.{XSS_MARK}=4>",
    "location": f"query.<b onmouseover=window.{XSS_MARK}=5>",
}

# The event the detail view is checked on: its evidence only appears percent-encoded in the excerpt.
DETAIL_IP = "198.51.100.23"


def iso(ms):
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def make_event(rng, n, time_ms, ip=None, attack=None, app=None, action=None):
    cls, location, evidence, path, param = attack or rng.choices(ATTACKS, WEIGHTS)[0]
    namespace, app_name = app or rng.choice(APPS)
    act, status = action or rng.choice(ACTION_STATUS)
    ip = ip or f"203.0.113.{rng.randint(1, 40) if rng.random() < 0.7 else rng.randint(41, 250)}"
    query = urllib.parse.urlencode({param: evidence})
    excerpt = (f"GET {path}?{query} HTTP/1.1\r\nhost: {app_name}.example\r\nuser-agent: console-test/{n}\r\n"
               f"authorization: [redacted]\r\n\r\n")
    return {
        "schema": "waf.event/v1", "time": iso(time_ms), "request_id": f"req-{n:06d}",
        "namespace": namespace, "pod": f"{app_name}-{n % 3}", "app": app_name,
        "client_ip": ip, "method": "GET", "host": f"{app_name}.example", "path": path,
        "classes": [cls],
        "findings": [{"class": cls, "location": location, "evidence": evidence, "score": 90}],
        "action": act, "status": status, "partial_inspection": False, "excerpt": excerpt,
    }


def xss_event(time_ms):
    e = make_event(random.Random(7), 999999, time_ms, ip=XSS_IP, attack=ATTACKS[1], action=ACTION_STATUS[0])
    e["path"] = XSS_PAYLOADS["path"]
    e["host"] = XSS_PAYLOADS["host"]
    e["app"] = XSS_PAYLOADS["app"]
    e["findings"][0]["evidence"] = XSS_PAYLOADS["evidence"]
    e["findings"][0]["location"] = XSS_PAYLOADS["location"]
    e["excerpt"] = (f"GET {XSS_PAYLOADS['path']} HTTP/1.1\r\nhost: {XSS_PAYLOADS['host']}\r\n\r\n"
                    f"{XSS_PAYLOADS['evidence']}")
    return e


def scenario(count, now_ms, span_ms, seed=1):
    """`count` random attacks spread over [now - span, now), plus the detail and XSS events, in time
    order (as proxies would send them)."""
    rng = random.Random(seed)
    events = [make_event(rng, i, now_ms - span_ms + (i * span_ms) // count) for i in range(count)]
    events.append(make_event(rng, count, now_ms - 60_000, ip=DETAIL_IP, attack=ATTACKS[0], app=APPS[0],
                             action=ACTION_STATUS[0]))
    events.append(xss_event(now_ms - 30_000))
    return events


def expected(events):
    """What the console must show for these events (all inside the selected range)."""
    by_class = collections.Counter(c for e in events for c in e["classes"])
    by_action = collections.Counter(e["action"] for e in events)
    ips = collections.Counter(e["client_ip"] for e in events)
    top_ip_count = max(ips.values())
    detail = next(e for e in events if e["client_ip"] == DETAIL_IP)
    f = detail["findings"][0]
    return {
        "total": len(events),
        "by_class": dict(by_class),
        "by_action": {a: by_action.get(a, 0) for a in ("blocked", "monitored", "denied")},
        "apps": len({(e.get("namespace"), e.get("app")) for e in events}),
        "paths": len({(e.get("namespace"), e.get("app"), e["path"]) for e in events}),
        "top_ip_count": top_ip_count, "top_ips": sorted(ip for ip, n in ips.items() if n == top_ip_count),
        "detail_ip": DETAIL_IP,
        "detail_evidence_raw": urllib.parse.urlencode({"q": f["evidence"]}).split("=", 1)[1],
        "detail_exception": {"class": f["class"], "location": f["location"], "path": detail["path"]},
        "xss_ip": XSS_IP, "xss_mark": XSS_MARK, "xss_path": XSS_PAYLOADS["path"],
        "xss_evidence": XSS_PAYLOADS["evidence"],
    }


def post_batches(port, events, sender="console-test", batch_size=500, timeout=60.0):
    """POST /ingest/v1/batch as a proxy does: NDJSON, one keep-alive connection, increasing seq.
    Returns the number of events the server acknowledged."""
    accepted = 0
    deadline = time.monotonic() + timeout
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for seq, start in enumerate(range(0, len(events), batch_size), start=1):
            body = "\n".join(json.dumps(e, separators=(",", ":")) for e in events[start:start + batch_size]) + "\n"
            conn.request("POST", "/ingest/v1/batch", body=body.encode(), headers={
                "Content-Type": "application/x-ndjson", "X-Waf-Sender": sender, "X-Waf-Batch-Seq": str(seq)})
            resp = conn.getresponse()
            payload = resp.read()
            if resp.status != 200:
                raise AssertionError(f"ingest batch {seq}: {resp.status} {payload[:300]!r}")
            accepted += json.loads(payload)["accepted_events"]
            if time.monotonic() > deadline:
                raise AssertionError(f"ingest of {len(events)} events took more than {timeout}s")
    finally:
        conn.close()
    return accepted
