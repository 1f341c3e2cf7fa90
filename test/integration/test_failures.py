"""Upstream failures (502/504), client timeouts and the connection limit."""
import json
import time

from httpwire import Client, request_bytes, wait_until
from upstream import blackhole_address, refused_address
from wafproc import at_least


def assert_error_body_names_the_request(resp):
    body = json.loads(resp.body)
    assert isinstance(body, dict) and body, resp.body
    rid = resp.header("x-request-id")
    assert rid and rid in resp.body.decode(), f"error body lacks the request id {rid}: {resp.body!r}"


def test_refused_upstream_is_502(start_proxy):
    hold, address = refused_address()
    with hold:
        proxy = start_proxy(address)
        resp = proxy.get("/refused")
        assert resp.status == 502, resp.raw_head
        assert_error_body_names_the_request(resp)
        proxy.wait_metrics([("waf_proxy_upstream_errors_total", {"kind": "connect_refused"}, 1),
                            ("waf_proxy_requests_total", {"code_class": "5xx"}, 1)])


def test_upstream_that_accepts_and_stalls_is_504_after_the_response_timeout(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--workers", "1", "--upstream-response-timeout", "500ms")
    t0 = time.monotonic()
    resp = proxy.get("/stall")
    elapsed = time.monotonic() - t0
    assert resp.status == 504, resp.raw_head
    assert 0.4 <= elapsed < 5, f"504 after {elapsed:.2f}s with a 500ms response timeout"
    assert_error_body_names_the_request(resp)
    # The stalled upstream connection is closed, never pooled, and the next request still works.
    stalled = upstream.connections[upstream.wait_requests(1)[0].conn]
    assert stalled.wait_eof(5), "the proxy kept the timed-out upstream connection open"
    assert proxy.get("/after").status == 200
    assert upstream.wait_requests(2)[1].conn != stalled.index
    proxy.wait_metrics([("waf_proxy_upstream_errors_total", {"kind": "response_timeout"}, 1)])


def test_upstream_connect_timeout_is_504(start_proxy):
    hold, address = blackhole_address()
    try:
        proxy = start_proxy(address, "--upstream-connect-timeout", "300ms")
        t0 = time.monotonic()
        resp = proxy.get("/blackhole")
        elapsed = time.monotonic() - t0
        assert resp.status == 504, resp.raw_head
        assert elapsed < 5, f"connect timeout of 300ms took {elapsed:.2f}s"
        proxy.wait_metrics([("waf_proxy_upstream_errors_total", {"kind": "connect_timeout"}, at_least(1))])
    finally:
        for s in hold:
            s.close()


def test_upstream_that_closes_without_answering_is_502(proxy, upstream):
    resp = proxy.get("/hangup")
    assert resp.status == 502, resp.raw_head
    assert_error_body_names_the_request(resp)
    assert proxy.get("/after").status == 200


def test_upstream_answering_garbage_is_502(proxy, upstream):
    resp = proxy.get("/garbage")
    assert resp.status == 502, resp.raw_head
    assert_error_body_names_the_request(resp)
    assert b"not HTTP" not in resp.body


def test_incomplete_request_head_is_closed_after_the_header_timeout(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--header-timeout", "500ms")
    with proxy.client() as partial:
        t0 = time.monotonic()
        partial.send(b"GET /never-finished HTTP/1.1\r\nHost: test.local\r\n")
        assert partial.closed_by_peer(timeout=5), "a half-sent head outlived the header timeout"
        assert time.monotonic() - t0 >= 0.4
    assert upstream.total_bytes == 0


def test_each_phase_has_its_own_deadline_whatever_came_before(start_proxy, upstream):
    # The proxy keeps a pending timer wait when the next deadline is later and waits again for the
    # rest: a short deadline's wait must not cut a longer phase short, and a long one must not
    # delay a shorter phase that follows it.
    proxy = start_proxy(upstream.address, "--header-timeout", "300ms", "--idle-timeout", "10s",
                        "--upstream-response-timeout", "5s")
    with proxy.client() as c:
        # The header deadline's wait ends while the upstream is still answering (1 s).
        assert c.request("GET", "/delay/1000").status == 200
        # Then idle (10 s) is pending when a half-sent head starts the 300 ms header deadline.
        t0 = time.monotonic()
        c.send(b"GET /never-finished HTTP/1.1\r\nHost: test.local\r\n")
        assert c.closed_by_peer(timeout=5), "a half-sent head after a keep-alive exchange outlived the header timeout"
        elapsed = time.monotonic() - t0
        assert 0.2 <= elapsed < 5, f"closed after {elapsed:.2f}s with a 300ms header timeout"


def test_silent_connection_is_closed_by_a_timeout(start_proxy, upstream):
    # A client that connects and sends nothing must not hold a connection slot for ever (slowloris).
    # Whether the header timeout or the idle timeout governs a connection before its first byte is
    # the proxy's choice; both are short here.
    proxy = start_proxy(upstream.address, "--header-timeout", "500ms", "--idle-timeout", "1s")
    with proxy.client() as silent:
        t0 = time.monotonic()
        assert silent.closed_by_peer(timeout=5), "a connection that sent nothing was never closed"
        assert time.monotonic() - t0 >= 0.4
    assert upstream.total_bytes == 0


def test_idle_keep_alive_connection_is_closed_after_the_idle_timeout(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--idle-timeout", "500ms", "--header-timeout", "10s")
    with proxy.client() as c:
        assert c.request("GET", "/once").status == 200
        t0 = time.monotonic()
        assert c.closed_by_peer(timeout=5), "idle keep-alive connection never closed"
        elapsed = time.monotonic() - t0
        assert 0.3 <= elapsed < 5, f"closed after {elapsed:.2f}s with a 500ms idle timeout"
        assert c.leftover == b"", f"bytes on an idle close: {c.leftover!r}"


def test_stalled_request_body_is_closed_after_the_client_body_timeout(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--client-body-timeout", "500ms")
    with proxy.client() as c:
        c.send(request_bytes("POST", "/upload", [("Content-Length", "100")]) + b"0123456789")
        assert c.closed_by_peer(timeout=5), "a stalled body outlived the client body timeout"
    # Whatever was forwarded, the upstream connection carrying the half request is not reused.
    for conn in list(upstream.connections):
        if conn.received:
            assert conn.wait_eof(5), "the upstream connection with a half-sent request stayed open"


def test_connections_beyond_the_limit_get_503(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--workers", "1", "--max-connections", "2")
    first, second = proxy.client(), proxy.client()
    try:
        assert first.request("GET", "/1").status == 200
        assert second.request("GET", "/2").status == 200
        with proxy.client() as third:
            third.send(request_bytes("GET", "/3"))
            resp = third.response()
            assert resp.status == 503, resp.raw_head
            assert third.closed_by_peer()
        proxy.wait_metrics([("waf_proxy_rejected_requests_total", {"reason": "too_many_connections"}, 1)])
    finally:
        first.close()
    # A slot is free again once the proxy noticed the close.

    def fourth_served():
        try:
            with Client(proxy.port) as c:
                return c.request("GET", "/4").status == 200
        except (OSError, EOFError):
            return False
    try:
        wait_until(fourth_served, timeout=10, interval=0.05, what="a connection slot to free up")
    finally:
        second.close()
    assert "/3" not in [r.target for r in upstream.requests]


def test_upstream_dying_mid_body_closes_the_client_connection(proxy, upstream):
    # The head is already out, so no 502 is possible: the client must see the connection end early
    # instead of waiting for bytes that will never come.
    with proxy.client() as c:
        c.send(request_bytes("GET", "/truncate"))
        head = c.reader.read_until(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert c.closed_by_peer(timeout=5), "the client was left waiting for a body the upstream never sent"
        assert len(c.leftover) < 1000, "the proxy delivered bytes the upstream never sent"
    assert proxy.get("/after").status == 200
