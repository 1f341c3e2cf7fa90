"""The proxy's side of the postanalytics wire, against a scripted receiver: NDJSON batches with
X-Waf-Sender / X-Waf-Batch-Seq over one keep-alive connection, the same seq again after a 503,
events sent after the response with the status the client got and the request excerpt, per-minute
stats for every request, and conditional pulls of the IP lists. The happy path against the real
`waf postanalytics` is in test_report_postanalytics.py."""
import json
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from httpwire import Client, wait_until
from wafproc import at_least

SQLI = "/search?q=" + urllib.parse.quote("1' UNION SELECT password FROM users--")


class Receiver:
    """A stand-in for `waf postanalytics --listen`: records every request; `answers` is a list of
    statuses for the next batches (then 200); `lists` is what GET /ingest/v1/lists serves."""

    def __init__(self):
        self.batches = []      # (headers dict, [json objects]) per POST, retries included
        self.list_gets = []    # If-None-Match of each GET
        self.connections = set()
        self.sockets = []
        self.answers = []
        self.lists = {"version": 1, "grey": [], "deny": []}
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                with receiver.cond:
                    receiver.sockets.append(self.connection)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                lines = [json.loads(line) for line in body.decode().split("\n") if line]
                with receiver.cond:
                    receiver.connections.add(self.client_address)
                    receiver.batches.append((dict(self.headers), lines))
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.cond.notify_all()
                answer = json.dumps({"accepted_events": 0, "accepted_stats": 0, "duplicate": False,
                                     "lists_version": receiver.lists["version"]}).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def do_GET(self):
                with receiver.cond:
                    receiver.list_gets.append(self.headers.get("If-None-Match"))
                    lists = dict(receiver.lists)
                    receiver.cond.notify_all()
                etag = f'"{lists["version"]}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps(lists).encode()
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.address = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def lines(self, schema):
        with self.cond:
            return [obj for _, lines in self.batches for obj in lines if obj.get("schema") == schema]

    def stop(self):
        """Stops listening and cuts the kept-alive connections too: a real outage."""
        self.server.shutdown()
        self.server.server_close()
        with self.cond:
            for sock in self.sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def test_events_and_stats_arrive_in_seq_ordered_batches_retried_with_the_same_seq(start_proxy, upstream):
    receiver = Receiver()
    try:
        receiver.answers = [503]  # the first batch is refused once: it must come again, same seq
        proxy = start_proxy(upstream.address, "--mode", "monitoring", "--workers", "2", "--postanalytics", receiver.address,
                            "--stats-interval", "300ms", "--lists-interval", "200ms",
                            env={"WAF_POD_NAMESPACE": "shop", "WAF_POD_NAME": "shop-7d9", "WAF_APP": "cart"})
        with Client(proxy.port) as c:
            assert c.request("GET", SQLI, [("Authorization", "Bearer s3cret")]).status == 200
            assert c.request("GET", "/status/404", [("Cookie", "s=<script>alert(document.cookie)</script>")]).status == 404
            for i in range(5):
                assert c.request("GET", f"/users/{i}/profile").status == 200
        events = wait_until(lambda: len(receiver.lines("waf.event/v1")) >= 3 and receiver.lines("waf.event/v1"),
                            what="the events, twice the first batch")
        stats = wait_until(lambda: sum(s["requests"] for s in receiver.lines("waf.stats/v1")) >= 7
                           and receiver.lines("waf.stats/v1"), what="stats of all 7 requests")
        proxy.wait_metrics([("waf_events_sent_total", {}, 2), ("waf_report_errors_total", {}, at_least(1))])

        with receiver.cond:
            batches = list(receiver.batches)
        seqs = [int(h["X-Waf-Batch-Seq"]) for h, _ in batches]
        assert seqs[0] == 1 and seqs[1] == 1, seqs  # the 503'd batch, then its retry
        assert all(b > a for a, b in zip(seqs[1:], seqs[2:])), seqs
        assert batches[0][1] == batches[1][1]
        for headers, _ in batches:
            assert headers["Content-Type"] == "application/x-ndjson"
            sender = headers["X-Waf-Sender"]
            assert sender.startswith("shop-7d9:") and sender == batches[0][0]["X-Waf-Sender"]
        assert len(receiver.connections) == 1, "one keep-alive connection carries every batch"

        by_status = {e["status"]: e for e in events}
        sqli, xss = by_status[200], by_status[404]
        assert sqli["classes"] == ["sqli"] and sqli["action"] == "monitored"
        assert (sqli["namespace"], sqli["pod"], sqli["app"]) == ("shop", "shop-7d9", "cart")
        assert sqli["excerpt"].startswith("GET /search?q=1%27")
        assert "Authorization: [redacted]\r\n" in sqli["excerpt"] and "s3cret" not in sqli["excerpt"]
        assert sqli["excerpt_truncated"] is False
        assert xss["classes"] == ["xss"]

        rows = {}
        for s in stats:
            assert (s["namespace"], s["pod"], s["app"]) == ("shop", "shop-7d9", "cart")
            assert s["minute"].endswith(":00.000Z")
            for r in s["rows"]:
                key = (r["ip"], r["method"], r["path"], r["status"])
                rows[key] = rows.get(key, 0) + r["count"]
        assert rows[("127.0.0.1", "GET", "/users/{id}/profile", 200)] == 5
        assert rows[("127.0.0.1", "GET", "/status/{id}", 404)] == 1
        assert sum(s["status"]["2xx"] for s in stats) == 6

        # The attack line on stderr stays, with the status, without the excerpt.
        logged = [json.loads(line) for line in proxy.stderr_lines if '"waf.event/v1"' in line]
        assert sorted(e["status"] for e in logged) == [200, 404]
        assert all("excerpt" not in e for e in logged)
        # Lists: pulled, then pulled conditionally.
        wait_until(lambda: '"1"' in receiver.list_gets, what="a conditional lists pull")
        assert receiver.list_gets[0] is None
    finally:
        receiver.stop()


def test_blocked_event_carries_the_block_status_and_pulled_deny_list_applies(start_proxy, upstream):
    receiver = Receiver()
    try:
        receiver.lists = {"version": 3, "grey": [], "deny": [{"ip": "198.51.100.0/24", "reason": "manual", "expires": None}]}
        proxy = start_proxy(upstream.address, "--mode", "block", "--workers", "1", "--postanalytics", receiver.address,
                            "--lists-interval", "200ms", "--trusted-proxies", "127.0.0.1/32")
        proxy.wait_metrics([("waf_iplist_entries", {"list": "deny"}, 1)])
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "198.51.100.7")]).status == 403
        with Client(proxy.port) as c:
            assert c.request("GET", SQLI, [("X-Forwarded-For", "192.0.2.1")]).status == 403
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "192.0.2.1")]).status == 200
        events = wait_until(lambda: len(receiver.lines("waf.event/v1")) >= 2 and receiver.lines("waf.event/v1"),
                            what="two events")
        actions = sorted((e["action"], e["status"], e["client_ip"]) for e in events)
        assert actions == [("blocked", 403, "192.0.2.1"), ("denied", 403, "198.51.100.7")]

        # Lists removed upstream are removed here; an outage keeps the last ones (next test).
        with receiver.cond:
            receiver.lists = {"version": 4, "grey": [], "deny": []}
        proxy.wait_metrics([("waf_iplist_entries", {"list": "deny"}, 0)])
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "198.51.100.7")]).status == 200
    finally:
        receiver.stop()


def test_lists_survive_an_outage_and_expire_on_time(start_proxy, upstream):
    receiver = Receiver()
    stopped = False
    try:
        import datetime
        soon = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        receiver.lists = {"version": 1, "grey": [],
                          "deny": [{"ip": "198.51.100.7", "reason": "manual", "expires": None},
                                   {"ip": "198.51.100.8", "reason": "manual", "expires": soon}]}
        proxy = start_proxy(upstream.address, "--mode", "monitoring", "--workers", "1", "--postanalytics", receiver.address,
                            "--lists-interval", "200ms", "--trusted-proxies", "127.0.0.1/32")
        proxy.wait_metrics([("waf_iplist_entries", {"list": "deny"}, 2)])
        receiver.stop()
        stopped = True
        proxy.wait_metrics([("waf_report_errors_total", {}, at_least(2))])
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "198.51.100.7")]).status == 403
        # The entry with an expiry stops applying when it expires, postanalytics or not.
        proxy.wait_metrics([("waf_iplist_entries", {"list": "deny"}, 1)], timeout=10)
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "198.51.100.8")]).status == 200
        with Client(proxy.port) as c:
            assert c.request("GET", "/ok", [("X-Forwarded-For", "198.51.100.7")]).status == 403
    finally:
        if not stopped:
            receiver.stop()
