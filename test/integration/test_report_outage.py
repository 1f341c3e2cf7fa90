"""Reporting while postanalytics is down: every client request is served as usual, the queue
fills to --report-queue, the rest is dropped and counted, retries are counted, and shutdown
accounts for every event it could not send. Nothing waits on postanalytics."""
import socket
import time
import urllib.parse

from httpwire import Client
from wafproc import at_least

SQLI = "/search?q=" + urllib.parse.quote("1' UNION SELECT password FROM users--")


def closed_port():
    """A loopback port nobody listens on (bound, then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_postanalytics_down_costs_clients_nothing_and_every_drop_is_counted(start_proxy, upstream):
    attacks = 40
    proxy = start_proxy(upstream.address, "--mode", "monitoring", "--workers", "2", "--report-queue", "5",
                        "--postanalytics", f"127.0.0.1:{closed_port()}", "--stats-interval", "200ms")
    with Client(proxy.port) as c:
        assert c.request("GET", SQLI).status == 200
    # The first batch (that one event) failed and waits for its retry: from now on events queue.
    proxy.wait_event(lambda o: o.get("event") == "postanalytics_unreachable", what="postanalytics_unreachable")
    slowest = 0.0
    with Client(proxy.port) as c:
        for i in range(1, attacks):
            started = time.monotonic()
            assert c.request("GET", SQLI).status == 200
            assert c.request("GET", f"/page/{i}").status == 200
            slowest = max(slowest, time.monotonic() - started)
    assert len(upstream.wait_requests(2 * attacks - 1)) == 2 * attacks - 1
    assert slowest < 2.0, f"a request took {slowest:.2f}s while postanalytics was down"

    m = proxy.wait_metrics([("waf_report_queue_depth", {}, 5),
                            ("waf_events_dropped_total", {"reason": "queue_full"}, at_least(1)),
                            ("waf_report_errors_total", {}, at_least(2)),
                            ("waf_events_sent_total", {}, 0)])
    # 1 in the batch being retried, 5 queued, the rest refused.
    assert m.value("waf_events_dropped_total", reason="queue_full") == attacks - 6

    started = time.monotonic()
    proxy.stop()
    assert time.monotonic() - started < 5.0, "shutdown waited on postanalytics"
    dropped = proxy.wait_event(lambda o: o.get("event") == "report_events_dropped_at_shutdown",
                               what="the count of events dropped at shutdown")
    # Every attack is either dropped because the queue was full or dropped at shutdown: none is lost
    # silently.
    assert dropped["events"] == 6
    # The attack lines on stderr do not depend on postanalytics.
    assert sum('"waf.event/v1"' in line for line in proxy.stderr_lines) == attacks
