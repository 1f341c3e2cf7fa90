"""Proxies reporting to the real `waf postanalytics`: attack events (with the status the client got
and the request excerpt) and request statistics arrive; an outage of postanalytics costs the
clients nothing and the events queued meanwhile arrive once it is back; the deny list set through
the API and the grey list computed from the proxies' statistics are enforced by the proxy in
safe_blocking mode."""
import json
import signal
import time
import urllib.parse

import pytest

from httpwire import Client, read_response, request_bytes, wait_until
from upstream import response_bytes
from wafproc import Proxy, at_least

SQLI = "/search?q=" + urllib.parse.quote("1' UNION SELECT password FROM users--")
XSS_COOKIE = ("Cookie", "s=<script>alert(document.cookie)</script>")


class PostAnalytics:
    """One `waf postanalytics` process (memory only) on loopback."""

    def __init__(self, waf_bin, *extra, ingest_port=0):
        argv = [waf_bin, "postanalytics", "--listen", f"127.0.0.1:{ingest_port}", "--http-listen", "127.0.0.1:0", *extra]
        self.proc = Proxy(argv)
        self.ingest_port = self.proc._listening_port("ingest")
        self.http_port = self.proc._listening_port("http")
        self.address = f"127.0.0.1:{self.ingest_port}"

    def api(self, method, path, body=None):
        with Client(self.http_port) as c:
            data = json.dumps(body).encode() if body is not None else b""
            headers = [("Content-Type", "application/json")] if body is not None else []
            c.send(request_bytes(method, path, headers + [("Connection", "close")], data))
            resp = read_response(c.reader, method)
        assert resp.status < 300, (method, path, resp.status, resp.body)
        return json.loads(resp.body) if resp.body else None

    def events(self):
        return self.api("GET", "/api/v1/events?limit=1000")["events"]

    def kill(self):
        self.proc.proc.send_signal(signal.SIGKILL)
        self.proc.wait_exit()

    def stop(self):
        self.proc.stop()


@pytest.fixture
def postanalytics(waf_bin):
    started = []

    def start(*extra, ingest_port=0):
        pa = PostAnalytics(waf_bin, *extra, ingest_port=ingest_port)
        started.append(pa)
        return pa
    yield start
    for pa in started:
        if pa.proc.proc.poll() is None:
            pa.stop()


def get(proxy, target, client_ip=None, headers=()):
    headers = list(headers) + ([("X-Forwarded-For", client_ip)] if client_ip else [])
    with Client(proxy.port) as c:
        return c.request("GET", target, headers).status


def test_events_and_stats_reach_postanalytics_and_an_outage_is_caught_up(start_proxy, upstream, postanalytics):
    pa = postanalytics()
    proxy = start_proxy(upstream.address, "--mode", "monitoring", "--workers", "2", "--postanalytics", pa.address,
                        "--stats-interval", "500ms", env={"WAF_POD_NAMESPACE": "shop", "WAF_POD_NAME": "shop-7d9",
                                                          "WAF_APP": "cart"})
    assert get(proxy, SQLI) == 200
    assert get(proxy, "/status/404", headers=[XSS_COOKIE]) == 404
    for i in range(5):
        assert get(proxy, f"/items/{i}") == 200

    events = wait_until(lambda: len(pa.events()) >= 2 and pa.events(), what="two events in postanalytics")
    by_class = {e["classes"][0]: e for e in events}
    assert (by_class["sqli"]["status"], by_class["xss"]["status"]) == (200, 404)
    assert by_class["sqli"]["excerpt"].startswith("GET /search?q=")
    assert (by_class["sqli"]["namespace"], by_class["sqli"]["app"]) == ("shop", "cart")
    since = int((time.time() - 600) * 1000)
    stats = wait_until(lambda: (s := pa.api("GET", f"/api/v1/stats?since={since}"))["requests"]["total"] >= 7 and s,
                       what="the stats of 7 requests")
    assert stats["requests"]["by_status"]["2xx"] >= 6
    proxy.wait_metrics([("waf_events_sent_total", {}, 2)])

    # postanalytics dies: clients notice nothing, events wait in the queue...
    pa.kill()
    for _ in range(3):
        assert get(proxy, SQLI) == 200
    proxy.wait_metrics([("waf_report_errors_total", {}, at_least(1))])
    # ...and arrive at the new instance on the same address.
    back = postanalytics(ingest_port=pa.ingest_port)
    wait_until(lambda: len(back.events()) >= 3, timeout=30, what="the events queued during the outage")
    proxy.wait_metrics([("waf_events_sent_total", {}, 5), ("waf_events_dropped_total", {}, 0)], timeout=10)


@pytest.fixture
def login_upstream(make_upstream):
    def failed_login(conn, req):
        conn.send(response_bytes(401, b"wrong password"))
    return make_upstream(routes={"/login": failed_login})


def test_safe_blocking_enforces_the_pulled_deny_and_grey_lists(start_proxy, login_upstream, postanalytics):
    pa = postanalytics("--brute-force-threshold", "5", "--behaviour-window", "60s")
    proxy = start_proxy(login_upstream.address, "--mode", "safe_blocking", "--workers", "1", "--postanalytics", pa.address,
                        "--trusted-proxies", "127.0.0.1/32", "--lists-interval", "200ms", "--stats-interval", "300ms")
    # Deny list through the API: refused after the next pull, attack or not.
    assert get(proxy, "/ok", "198.51.100.7") == 200
    pa.api("PUT", "/api/v1/denylist", {"ip": "198.51.100.0/24", "reason": "scanner"})
    wait_until(lambda: get(proxy, "/ok", "198.51.100.7") == 403, timeout=10, what="the deny list enforced")
    assert get(proxy, "/ok", "192.0.2.1") == 200

    # Before grey-listing, safe_blocking only monitors attacks.
    assert get(proxy, SQLI, "203.0.113.7") == 200
    # A brute force through the proxy: postanalytics grey-lists the IP from the proxy's statistics.
    for _ in range(8):
        with Client(proxy.port) as c:
            assert c.request("POST", "/login", [("X-Forwarded-For", "203.0.113.7")], b"user=a&pass=b").status == 401
    proxy.wait_metrics([("waf_iplist_entries", {"list": "grey"}, at_least(1))], timeout=15)
    assert any(e["ip"] == "203.0.113.7" for e in pa.api("GET", "/api/v1/greylist")["entries"])
    assert get(proxy, SQLI, "203.0.113.7") == 403
    assert get(proxy, "/harmless", "203.0.113.7") == 200  # grey means "block its attacks", not "refuse it"
    assert get(proxy, SQLI, "192.0.2.1") == 200  # other IPs' attacks are only monitored
