"""Bodies stream both ways: chunked and Content-Length, 50 MB with bounded memory, 100-continue."""
import hashlib
import threading

import pytest

from httpwire import IO_TIMEOUT, read_head, request_bytes, wait_until
from upstream import payload, response_bytes

BIG = 50 * 1024 * 1024
MiB = 1024 * 1024


def send_chunked(client, target, body, piece=256 * 1024):
    client.send(request_bytes("POST", target, [("Transfer-Encoding", "chunked")]))
    for i in range(0, len(body), piece):
        part = body[i:i + piece]
        client.send(b"%x\r\n" % len(part) + bytes(part) + b"\r\n")
    client.send(b"0\r\n\r\n")


def hashing_sink():
    h = hashlib.sha256()
    return h, h.update


def roundtrip_chunked(proxy, upstream, size):
    body = payload(size)
    with proxy.client() as c:
        send_chunked(c, "/upload", body)
        resp = c.response("POST")
        assert resp.status == 200, resp
        assert resp.body == f"{size} {hashlib.sha256(body).hexdigest()}".encode()

        h, sink = hashing_sink()
        c.send(request_bytes("GET", f"/chunked/{size}"))
        resp = c.response(sink=sink)
        assert resp.status == 200
        assert resp.body_len == size
        assert h.hexdigest() == hashlib.sha256(body).hexdigest()
    up = next(r for r in upstream.wait_requests(2) if r.target == "/upload")
    assert up.header("transfer-encoding") == "chunked"
    assert not up.has_header("content-length")
    assert up.body_len == size


class RssSampler:
    """Samples the proxy's VmRSS every 10 ms in the background; .peak in KiB."""

    def __init__(self, proxy):
        self.proxy = proxy
        self.peak = proxy.rss_kib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.01):
            try:
                self.peak = max(self.peak, self.proxy.rss_kib())
            except (OSError, AssertionError):
                return

    def stop(self):
        self._stop.set()
        self._thread.join()
        return self.peak


def test_chunked_50mb_round_trip_with_bounded_memory(start_proxy, waf_static_bin, upstream):
    # The static release binary: ASan's shadow memory and quarantine would hide what is measured.
    proxy = start_proxy(upstream.address, "--workers", "1", binary=waf_static_bin)
    assert proxy.get("/warm-up").status == 200
    baseline = proxy.rss_kib()
    sampler = RssSampler(proxy)
    roundtrip_chunked(proxy, upstream, BIG)
    peak = sampler.stop()
    growth_mib = (peak - baseline) / 1024
    assert growth_mib < 20, f"RSS grew by {growth_mib:.1f} MiB (baseline {baseline} KiB, peak {peak} KiB) for a 50 MB body"


def test_chunked_round_trip_under_sanitizers(proxy, upstream):
    roundtrip_chunked(proxy, upstream, 5 * MiB + 12345)


def test_chunked_request_trailers_are_dropped(proxy, upstream):
    with proxy.client() as c:
        c.send(request_bytes("POST", "/upload", [("Transfer-Encoding", "chunked")])
               + b"5\r\nhello\r\n0\r\nX-Trailer: secret\r\n\r\n")
        resp = c.response("POST")
        assert resp.body == f"5 {hashlib.sha256(b'hello').hexdigest()}".encode()
    req = upstream.wait_requests(1)[0]
    assert req.trailers == []
    assert b"X-Trailer" not in upstream.received_bytes()


def test_content_length_request_body_streams_before_it_is_complete(proxy, upstream):
    size = 8 * MiB
    body = payload(size)
    with proxy.client() as c:
        c.send(request_bytes("POST", "/upload", [("Content-Length", str(size))]) + bytes(body[:MiB]))
        # The proxy forwards what it has (beyond its bounded inspection buffer) before the rest exists.
        wait_until(lambda: upstream.total_bytes > MiB // 2, what="the first half MiB of the body upstream")
        c.send(bytes(body[MiB:]))
        resp = c.response("POST")
        assert resp.body == f"{size} {hashlib.sha256(body).hexdigest()}".encode()
    req = upstream.wait_requests(1)[0]
    assert req.header("content-length") == str(size)
    assert not req.has_header("transfer-encoding")


def test_content_length_response_body_streams_before_it_is_complete(start_proxy, make_upstream):
    size = 4 * MiB
    body = bytes(payload(size))

    def half_then_gate(conn, req):
        conn.send(response_bytes(200, body)[: -(size - MiB)])
        up.gate("rest").wait(IO_TIMEOUT)
        conn.send(body[MiB:])

    up = make_upstream(routes={"/halves": half_then_gate})
    proxy = start_proxy(up.address)
    with proxy.client() as c:
        c.send(request_bytes("GET", "/halves"))
        head = read_head(c.reader)
        assert head.status == 200
        assert head.header("content-length") == str(size)
        first = c.reader.read_exact(MiB)  # arrives while the upstream still holds the rest
        up.open_gate("rest")
        rest = c.reader.read_exact(size - MiB)
    assert first + rest == body


def test_expect_100_continue_is_answered_by_the_proxy_and_not_forwarded(proxy, upstream):
    with proxy.client() as c:
        c.send(request_bytes("POST", "/upload", [("Content-Length", "11"), ("Expect", "100-continue")]))
        interim = c.response("POST")
        assert interim.start_line.startswith("HTTP/1.1 100"), interim.raw_head
        c.send(b"hello world")
        resp = c.response("POST")
        assert resp.status == 200
        assert resp.body == f"11 {hashlib.sha256(b'hello world').hexdigest()}".encode()
    req = upstream.wait_requests(1)[0]
    assert not req.has_header("expect"), req.raw_head
    assert b"100-continue" not in upstream.received_bytes().lower()


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_response_bodies_of_both_framings_arrive_intact(proxy, upstream, framing):
    size = 300000
    with proxy.client() as c:
        resp = c.request("GET", f"/{framing}/{size}")
        assert resp.status == 200
        assert resp.body == bytes(payload(size))
        if framing == "length":
            assert resp.header("content-length") == str(size), "Content-Length must be kept as is"


def test_chunk_extensions_and_uppercase_hex_are_accepted(proxy, upstream):
    body = b"0123456789" * 3
    with proxy.client() as c:
        c.send(request_bytes("POST", "/upload", [("Transfer-Encoding", "chunked")])
               + b"A;name=value\r\n" + body[:10] + b"\r\n14\r\n" + body[10:] + b"\r\n0\r\n\r\n")
        resp = c.response("POST")
    assert resp.body == f"30 {hashlib.sha256(body).hexdigest()}".encode()
