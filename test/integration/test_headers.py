"""Proxy header semantics: hop-by-hop removal both ways, X-Forwarded-*, X-Request-Id."""
import re
import socket

import pytest

from httpwire import Client, request_bytes
from upstream import response_bytes

REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
HOP_BY_HOP = ("keep-alive", "proxy-connection", "te", "trailer", "upgrade", "transfer-encoding")


def assert_connection_header_is_the_proxys_own(msg):
    # The proxy may say keep-alive for itself; nothing the other side put in Connection survives.
    assert msg.connection_tokens() <= {"keep-alive"}, msg.raw_head


def test_hop_by_hop_request_headers_are_removed(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("GET", "/hop", [
            ("Connection", "keep-alive, X-Secret-Hop, x-other-hop"),
            ("X-Secret-Hop", "must not reach the app"),
            ("X-Other-Hop", "neither"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "keep-alive"),
            ("TE", "trailers"),
            ("Trailer", "X-Checksum"),
            ("Upgrade", "h2c"),
            ("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
            ("X-End-To-End", "kept"),
        ])
        assert resp.status == 200
    req = upstream.wait_requests(1)[0]
    for name in HOP_BY_HOP + ("x-secret-hop", "x-other-hop"):
        assert not req.has_header(name), f"{name} reached the upstream:\n{req.raw_head.decode()}"
    assert_connection_header_is_the_proxys_own(req)
    assert req.header("proxy-authorization") == "Basic dXNlcjpwYXNz"
    assert req.header("x-end-to-end") == "kept"
    assert req.header("host") == "test.local"


def test_hop_by_hop_response_headers_are_removed_and_trailers_dropped(start_proxy, make_upstream):
    def hop_response(conn, req):
        conn.send(response_bytes(200, b"", framing="chunked", headers=[
            ("Connection", "X-Resp-Hop"), ("X-Resp-Hop", "secret"), ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "keep-alive"), ("Trailer", "X-Checksum"), ("Upgrade", "h2c"),
            ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("X-App", "kept"),
        ])[:-5] + b"5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n")

    up = make_upstream(routes={"/hop": hop_response})
    proxy = start_proxy(up.address)
    with proxy.client() as c:
        resp = c.request("GET", "/hop")
        assert resp.status == 200
        assert resp.body == b"hello"
        for name in ("x-resp-hop", "keep-alive", "proxy-connection", "trailer", "upgrade"):
            assert not resp.has_header(name), f"{name} reached the client:\n{resp.raw_head.decode()}"
        assert_connection_header_is_the_proxys_own(resp)
        assert resp.headers_named("set-cookie") == ["a=1", "b=2"]
        assert resp.header("x-app") == "kept"
        assert resp.trailers == []
        # The connection is still usable: the dropped trailer did not desynchronise the framing.
        assert c.request("GET", "/next").status == 200


def test_forwarded_headers_from_an_untrusted_peer_are_replaced(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("GET", "/xff", [
            ("X-Forwarded-For", "6.6.6.6"), ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Host", "evil.example"), ("X-Request-Id", "attacker-chosen"),
        ], host="shop.example:8443")
    req = upstream.wait_requests(1)[0]
    assert req.headers_named("x-forwarded-for") == ["127.0.0.1"]
    assert req.headers_named("x-forwarded-proto") == ["http"]
    assert req.headers_named("x-forwarded-host") == ["shop.example:8443"]
    ids = req.headers_named("x-request-id")
    assert len(ids) == 1 and REQUEST_ID.match(ids[0]), req.raw_head
    assert resp.header("x-request-id") == ids[0]


def test_request_ids_are_generated_per_request(proxy, upstream):
    with proxy.client() as c:
        first = c.request("GET", "/a").header("x-request-id")
        second = c.request("GET", "/b").header("x-request-id")
    assert REQUEST_ID.match(first) and REQUEST_ID.match(second)
    assert first != second
    assert [r.header("x-request-id") for r in upstream.wait_requests(2)] == [first, second]


def test_forwarded_headers_from_a_trusted_peer_are_kept_and_extended(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--trusted-proxies", "10.0.0.0/8,127.0.0.0/8")
    with proxy.client() as c:
        resp = c.request("GET", "/trusted", [
            ("X-Forwarded-For", "203.0.113.7, 10.1.2.3"), ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Host", "shop.example"), ("X-Request-Id", "lb-0001"),
        ])
    req = upstream.wait_requests(1)[0]
    assert req.headers_named("x-forwarded-for") == ["203.0.113.7, 10.1.2.3, 127.0.0.1"]
    assert req.headers_named("x-forwarded-proto") == ["https"]
    assert req.headers_named("x-forwarded-host") == ["shop.example"]
    assert req.headers_named("x-request-id") == ["lb-0001"]
    assert resp.header("x-request-id") == "lb-0001"


def test_trusted_peer_without_forwarded_headers_gets_them_set(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--trusted-proxies", "127.0.0.0/8")
    resp = proxy.get("/plain")
    req = upstream.wait_requests(1)[0]
    assert req.headers_named("x-forwarded-for") == ["127.0.0.1"]
    assert req.headers_named("x-forwarded-proto") == ["http"]
    assert req.headers_named("x-forwarded-host") == ["test.local"]
    assert REQUEST_ID.match(req.header("x-request-id"))
    assert resp.header("x-request-id") == req.header("x-request-id")


def test_peer_outside_the_trusted_cidrs_is_not_trusted(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--trusted-proxies", "10.0.0.0/8")
    proxy.get("/untrusted", [("X-Forwarded-For", "6.6.6.6"), ("X-Request-Id", "spoofed")])
    req = upstream.wait_requests(1)[0]
    assert req.headers_named("x-forwarded-for") == ["127.0.0.1"]
    assert req.header("x-request-id") != "spoofed"


def test_request_line_and_end_to_end_headers_pass_unchanged(proxy, upstream):
    raw_target = "/path/%2e%2e/x?q=a%20b&r=%00&s=%C3%A9&long=" + "l" * 8000
    with proxy.client() as c:
        c.send(request_bytes("PATCH", raw_target, [("X-Multi", "1"), ("X-Multi", "2"), ("Cookie", "s=1"),
                                                    ("X-Latin", "caf\xe9 \xff")], body=b"{}"))
        assert c.response("PATCH").status == 200
    req = upstream.wait_requests(1)[0]
    assert req.start_line == f"PATCH {raw_target} HTTP/1.1"
    assert req.headers_named("x-multi") == ["1", "2"]
    assert req.header("cookie") == "s=1"
    assert req.header("x-latin") == "caf\xe9 \xff", "obs-text bytes must pass unchanged"
    assert req.body == b"{}"


def test_ipv6_client_address_is_forwarded(start_proxy, upstream):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    proxy = start_proxy(upstream.address, "--listen", "[::1]:0")
    with Client(proxy.port, host="::1") as c:
        resp = c.request("GET", "/v6")
    assert (resp.status, resp.body) == (200, b"/v6")
    assert upstream.wait_requests(1)[0].headers_named("x-forwarded-for") == ["::1"]
