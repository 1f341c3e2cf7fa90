"""Connection handling: keep-alive on both sides, pipelining, HTTP/1.0 clients, WebSocket tunnels."""
import base64
import hashlib
import os
import socket
import struct
import threading

import pytest

from httpwire import Client, request_bytes, wait_until
from upstream import WS_GUID, payload, read_ws_frame, ws_frame
from wafproc import at_least


def test_keep_alive_reuses_one_connection_on_each_side(proxy, upstream):
    with proxy.client() as c:
        for i in range(3):
            resp = c.request("GET", f"/ka/{i}")
            assert resp.status == 200
            assert resp.body == f"/ka/{i}".encode()
            assert "close" not in resp.connection_tokens()
    reqs = upstream.wait_requests(3)
    assert [r.target for r in reqs] == ["/ka/0", "/ka/1", "/ka/2"]
    assert {r.conn for r in reqs} == {reqs[0].conn}, "the three requests used several upstream connections"
    proxy.wait_metrics([("waf_proxy_upstream_connections_reused_total", {}, at_least(2)),
                        ("waf_proxy_connections_total", {}, at_least(1))])


def test_pooled_upstream_connection_serves_the_next_client(proxy, upstream):
    # One worker: the second client's request must go over the idle pooled connection.
    assert proxy.get("/first").status == 200
    assert proxy.get("/second").status == 200
    reqs = upstream.wait_requests(2)
    assert reqs[0].conn == reqs[1].conn
    proxy.wait_metrics([("waf_proxy_upstream_connections_opened_total", {}, 1),
                        ("waf_proxy_upstream_connections_reused_total", {}, 1)])


def test_pipelined_requests_are_answered_in_order(proxy, upstream):
    # The first answer is the slowest, so a proxy that answers as the upstream finishes would reorder.
    with proxy.client() as c:
        c.send(request_bytes("GET", "/delay/300") + request_bytes("POST", "/upload", body=b"pipelined body")
               + request_bytes("GET", "/third"))
        first, second, third = c.response(), c.response("POST"), c.response()
    assert (first.status, first.body) == (200, b"/delay/300")
    assert (second.status, second.body) == (200, f"14 {hashlib.sha256(b'pipelined body').hexdigest()}".encode())
    assert (third.status, third.body) == (200, b"/third")
    assert [r.target for r in upstream.wait_requests(3)] == ["/delay/300", "/upload", "/third"]


def test_http10_client_gets_a_close_delimited_body_not_chunks(proxy, upstream):
    with proxy.client() as c:
        c.send(request_bytes("GET", "/chunked/100000", version="HTTP/1.0"))
        resp = c.response()
        assert resp.status == 200
        assert not resp.has_header("transfer-encoding"), resp.raw_head
        assert resp.body == bytes(payload(100000))
        assert c.closed_by_peer(), "an HTTP/1.0 client without keep-alive must see the connection closed"
    assert "chunked" not in resp.raw_head.decode().lower()


def test_http10_client_that_asks_for_keep_alive_keeps_its_connection(proxy, upstream):
    with proxy.client() as c:
        for path in ("/one", "/two"):
            c.send(request_bytes("GET", path, [("Connection", "keep-alive")], version="HTTP/1.0"))
            resp = c.response()
            assert (resp.status, resp.body) == (200, path.encode())
            assert resp.has_header("content-length"), resp.raw_head
    assert [r.target for r in upstream.wait_requests(2)] == ["/one", "/two"]


def test_close_delimited_upstream_body_is_reframed_for_an_http11_client(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("GET", "/close/70000")
        assert resp.status == 200
        assert resp.body == bytes(payload(70000))
        # Either framed (chunked / length) and still usable, or delimited by close: never truncated.
        if resp.has_header("transfer-encoding") or resp.has_header("content-length"):
            assert c.request("GET", "/after").body == b"/after"


def _ws_handshake(c):
    key = base64.b64encode(os.urandom(16)).decode()
    c.send(request_bytes("GET", "/ws", [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                                        ("Sec-WebSocket-Key", key), ("Sec-WebSocket-Version", "13")]))
    resp = c.response()
    return key, resp


def test_websocket_upgrade_and_masked_frames_are_tunnelled(proxy, upstream):
    with proxy.client() as c:
        key, resp = _ws_handshake(c)
        assert resp.status == 101, resp
        assert resp.header("upgrade").lower() == "websocket"
        assert "upgrade" in resp.connection_tokens()
        assert resp.header("sec-websocket-accept") == base64.b64encode(
            hashlib.sha1((key + WS_GUID).encode()).digest()).decode()

        text = "hello through the tunnel".encode()
        frame = ws_frame(0x1, text, mask=True)
        c.send(frame)
        assert read_ws_frame(c.reader) == (0x1, text, False)

        big = bytes(payload(200000))
        c.send(ws_frame(0x2, big, mask=True))
        assert read_ws_frame(c.reader) == (0x2, big, False)

        c.send(ws_frame(0x8, b"\x03\xe8", mask=True))
        assert read_ws_frame(c.reader) == (0x8, b"\x03\xe8", False)

    req = upstream.wait_requests(1)[0]
    assert req.header("upgrade").lower() == "websocket"
    assert "upgrade" in req.connection_tokens()
    conn = upstream.connections[req.conn]
    # The first client frame crossed the tunnel byte for byte, mask included.
    assert frame in bytes(conn.received)
    assert [(op, masked) for op, _, masked in conn.ws_frames] == [(0x1, True), (0x2, True), (0x8, True)]


def test_many_sequential_connections_do_not_leak(proxy, upstream):
    for i in range(50):
        assert proxy.get(f"/n/{i}").status == 200
    proxy.wait_metrics([("waf_proxy_connections_total", {}, at_least(50))])
    wait_until(lambda: proxy.metrics().value("waf_proxy_connections_active") == 0,
               what="connections_active back to 0")


def test_unrelated_clients_are_served_concurrently(proxy, upstream):
    # A request stuck at the upstream must not block another client on the same worker.
    with Client(proxy.port) as slow:
        slow.send(request_bytes("GET", "/gate/concurrent"))
        upstream.wait_requests(1)
        assert proxy.get("/quick").body == b"/quick"
        upstream.open_gate("concurrent")
        assert slow.response().body_len == 1 << 20


def test_head_response_has_no_body_and_the_connection_stays_usable(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("HEAD", "/length/1000")
        assert resp.status == 200
        assert resp.header("content-length") == "1000"
        assert c.request("GET", "/after-head").body == b"/after-head", "HEAD desynchronised the connection"


@pytest.mark.parametrize("code", [204, 304])
def test_bodyless_statuses_keep_the_connection_in_sync(proxy, upstream, code):
    with proxy.client() as c:
        assert c.request("GET", f"/status/{code}").status == code
        assert c.request("GET", "/next").body == b"/next"


def test_upstream_closing_an_idle_pooled_connection_is_not_a_client_error(proxy, upstream):
    # Apps close idle keep-alive connections on their own schedule (Node: 5 s); the proxy must not
    # hand such a dead connection to the next request and answer 502.
    assert proxy.get("/then-close").status == 200
    first = upstream.connections[upstream.wait_requests(1)[0].conn]
    wait_until(lambda: first.sock.fileno() == -1, what="the upstream to close its side")
    with proxy.client() as c:
        for i in range(3):
            resp = c.request("GET", f"/again/{i}")
            assert (resp.status, resp.body) == (200, f"/again/{i}".encode()), resp.raw_head


def test_upstream_connection_close_is_hop_by_hop(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("GET", "/conn-close")
        assert resp.status == 200
        assert "close" not in resp.connection_tokens(), "the upstream's Connection: close leaked to the client"
        assert c.request("GET", "/still-open").body == b"/still-open"
    reqs = upstream.wait_requests(2)
    assert reqs[0].conn != reqs[1].conn, "the proxy reused an upstream connection that said close"


def test_client_abort_mid_response_leaves_the_proxy_healthy(proxy, upstream):
    for _ in range(3):
        c = Client(proxy.port)
        c.send(request_bytes("GET", "/length/8000000"))
        c.reader.read_until(b"\r\n\r\n")
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()  # RST with most of the body unsent
    assert proxy.get("/healthy").body == b"/healthy"
    wait_until(lambda: proxy.metrics().value("waf_proxy_connections_active") == 0,
               what="aborted connections to be released")


def test_many_concurrent_keep_alive_clients(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--workers", "2")
    errors = []

    def client(n):
        try:
            with Client(proxy.port) as c:
                for i in range(5):
                    path = f"/c{n}/r{i}"
                    resp = c.request("GET", path) if i % 2 == 0 else c.request("POST", "/upload", body=path.encode())
                    want = path.encode() if i % 2 == 0 else f"{len(path)} {hashlib.sha256(path.encode()).hexdigest()}".encode()
                    if (resp.status, resp.body) != (200, want):
                        errors.append((path, resp.status, resp.body[:100]))
        except Exception as e:  # noqa: BLE001 - collected and asserted below
            errors.append((n, repr(e)))
    threads = [threading.Thread(target=client, args=(n,)) for n in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:5]
    assert len(upstream.wait_requests(500)) == 500
    proxy.wait_metrics([("waf_proxy_requests_total", {"code_class": "2xx"}, 500)])


def test_request_sent_one_byte_at_a_time_is_forwarded_intact(proxy, upstream):
    raw = (request_bytes("POST", "/upload", [("Transfer-Encoding", "chunked"), ("X-Slow", "drip")])
           + b"4\r\nwiki\r\n5\r\npedia\r\n0\r\n\r\n")
    with proxy.client() as c:
        for i in range(len(raw)):
            c.send(raw[i:i + 1])
        resp = c.response("POST")
    assert resp.body == f"9 {hashlib.sha256(b'wikipedia').hexdigest()}".encode()
    assert upstream.wait_requests(1)[0].header("x-slow") == "drip"


def test_without_pooling_every_request_gets_a_fresh_upstream_connection(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--workers", "1", "--upstream-max-idle", "0")
    with proxy.client() as c:
        assert c.request("GET", "/p1").status == 200
        assert c.request("GET", "/p2").status == 200
    reqs = upstream.wait_requests(2)
    assert reqs[0].conn != reqs[1].conn
    assert upstream.connections[reqs[0].conn].wait_eof(5), "an upstream connection was kept with max-idle 0"


def test_the_pool_keeps_at_most_upstream_max_idle_connections(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--workers", "1", "--upstream-max-idle", "1")
    clients = [Client(proxy.port) for _ in range(3)]
    try:
        for c in clients:
            c.send(request_bytes("GET", "/gate/pool"))
        used = {r.conn for r in upstream.wait_requests(3)}
        assert len(used) == 3
        upstream.open_gate("pool")
        for c in clients:
            assert c.response().status == 200
    finally:
        for c in clients:
            c.close()
    conns = [upstream.connections[i] for i in used]
    wait_until(lambda: sum(c.eof for c in conns) == 2, what="two of three upstream connections closed")
    assert sum(c.eof for c in conns) == 2


def test_client_connection_close_is_honoured(proxy, upstream):
    with proxy.client() as c:
        resp = c.request("GET", "/bye", [("Connection", "close")])
        assert (resp.status, resp.body) == (200, b"/bye")
        assert "close" in resp.connection_tokens(), resp.raw_head
        assert c.closed_by_peer(), "the proxy kept a connection the client asked to close"
    forwarded = upstream.wait_requests(1)[0]
    assert "close" not in forwarded.connection_tokens(), "the client's close leaked upstream"
