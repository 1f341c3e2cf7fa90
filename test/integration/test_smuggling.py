"""Request smuggling and junk: answered 400 + Connection: close, and not one byte reaches the upstream.

"Not one byte" is checked after the fact: once the 400 arrived, a sentinel request on a fresh
connection must be the only thing the upstream ever received (so a bad request forwarded late, or
forwarded in part, fails the test instead of racing it).
"""
import json

import pytest

from httpwire import request_bytes
from wafproc import at_least

H = "Host: test.local\r\n"


def req(text):
    return text.encode("latin-1")


# (id, raw request, expected waf_proxy_rejected_requests_total reason or None when not pinned down)
CASES = [
    ("cl_and_te", req(f"POST / HTTP/1.1\r\n{H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), "smuggling"),
    ("te_and_cl", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"), "smuggling"),
    ("two_cl_different", req(f"POST / HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), "smuggling"),
    ("two_cl_equal", req(f"POST / HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), "smuggling"),
    ("te_xchunked", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"), None),
    ("te_chunked_identity", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"), None),
    ("te_gzip_chunked", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"), None),
    ("te_identity", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: identity\r\n\r\nhello"), None),
    ("te_chunked_chunked", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"), None),
    ("te_duplicated", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), None),
    ("chunk_size_0x", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n0x10\r\n0123456789abcdef\r\n0\r\n\r\n"), None),
    ("chunk_size_negative", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n"), None),
    ("chunk_size_not_hex", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nzz\r\nx\r\n0\r\n\r\n"), None),
    ("chunk_size_overflow", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff1\r\nx\r\n0\r\n\r\n"), None),
    ("header_too_large", req(f"GET / HTTP/1.1\r\n{H}X-Big: {'a' * 40 * 1024}\r\n\r\n"), "header_too_large"),
    ("many_headers_too_large", req(f"GET / HTTP/1.1\r\n{H}" + "".join(f"X-H{i}: {'b' * 40}\r\n" for i in range(1000)) + "\r\n"), "header_too_large"),
    ("bare_cr_in_value", req(f"GET / HTTP/1.1\r\n{H}X-A: a\rb\r\n\r\n"), None),
    ("bare_cr_before_crlf", req(f"GET / HTTP/1.1\r\n{H}X-A: a\r\r\n\r\n"), None),
    ("bare_cr_as_line_end", req(f"GET / HTTP/1.1\r{H}\r\n"), None),
    ("nul_in_value", req(f"GET / HTTP/1.1\r\n{H}X-A: a\x00b\r\n\r\n"), None),
    ("nul_in_target", req(f"GET /a\x00b HTTP/1.1\r\n{H}\r\n"), None),
    ("space_before_colon", req(f"GET / HTTP/1.1\r\n{H}X-A : b\r\n\r\n"), None),
    ("space_before_colon_in_te", req(f"POST / HTTP/1.1\r\n{H}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\nhello"), None),
    ("no_host_http11", req("GET / HTTP/1.1\r\nX-A: b\r\n\r\n"), None),
    ("two_hosts", req(f"GET / HTTP/1.1\r\n{H}Host: other.example\r\n\r\n"), None),
    ("whitespace_before_first_header", req(f"GET / HTTP/1.1\r\n X-A: b\r\n{H}\r\n"), None),
    ("header_without_colon", req(f"GET / HTTP/1.1\r\n{H}NoColonHere\r\n\r\n"), None),
    ("invalid_header_name", req(f"GET / HTTP/1.1\r\n{H}Bad[Name]: x\r\n\r\n"), None),
    ("cl_not_a_number", req(f"POST / HTTP/1.1\r\n{H}Content-Length: abc\r\n\r\nhello"), None),
    ("cl_negative", req(f"POST / HTTP/1.1\r\n{H}Content-Length: -1\r\n\r\nhello"), None),
    ("cl_plus_sign", req(f"POST / HTTP/1.1\r\n{H}Content-Length: +5\r\n\r\nhello"), None),
    ("request_line_garbage", req("GARBAGE\r\n\r\n"), None),
    ("request_line_http09", req("GET /\r\n\r\n"), None),
    ("request_line_bad_version", req(f"GET / HTTP/x.y\r\n{H}\r\n"), None),
    ("request_line_extra_token", req(f"GET / HTTP/1.1 extra\r\n{H}\r\n"), None),
    ("tls_client_hello", bytes.fromhex("1603010200010001fc0303") + bytes(range(32)) + b"\r\n\r\n", None),
]


@pytest.mark.parametrize("raw,reason", [pytest.param(r, reason, id=i) for i, r, reason in CASES])
def test_rejected_with_400_and_never_forwarded(proxy, upstream, raw, reason):
    with proxy.client() as c:
        c.send(raw)
        try:
            resp = c.response()
        except ConnectionResetError:
            pytest.fail("the proxy reset the connection instead of answering 400 "
                        "(close without draining the unread request bytes)")
        assert resp.status == 400, resp.raw_head
        assert "close" in resp.connection_tokens(), resp.raw_head
        assert json.loads(resp.body)["error"] == "bad_request", resp.body
        assert c.closed_by_peer(), "the connection stayed open after a 400"

    sentinel = proxy.get("/sentinel")
    assert sentinel.status == 200
    got = upstream.wait_requests(1)
    assert [r.target for r in got] == ["/sentinel"], [r.start_line for r in got]
    assert upstream.total_bytes == len(got[0].raw_head), \
        f"the upstream received more than the sentinel: {upstream.received_bytes()[:400]!r}"

    expected = [("waf_proxy_rejected_requests_total", {}, 1),
                ("waf_proxy_requests_total", {"code_class": "4xx"}, at_least(1))]
    if reason:
        expected.append(("waf_proxy_rejected_requests_total", {"reason": reason}, 1))
    proxy.wait_metrics(expected)


def test_smuggled_second_request_inside_a_body_is_not_forwarded(proxy, upstream):
    # The classic CL.TE payload: a front end that honoured Content-Length would forward the
    # "GET /admin" hidden in the body as a second request on the shared upstream connection.
    smuggled = b"0\r\n\r\nGET /admin HTTP/1.1\r\nHost: test.local\r\n\r\n"
    raw = (b"POST / HTTP/1.1\r\nHost: test.local\r\nContent-Length: %d\r\n"
           b"Transfer-Encoding: chunked\r\n\r\n" % len(smuggled)) + smuggled
    with proxy.client() as c:
        c.send(raw)
        assert c.response().status == 400
        assert c.closed_by_peer()
    assert b"/admin" not in upstream.received_bytes()
    assert proxy.get("/sentinel").status == 200
    assert [r.target for r in upstream.wait_requests(1)] == ["/sentinel"]


def test_header_limit_is_configurable(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--max-header-bytes", "4KiB")
    assert proxy.get("/small", [("X-Pad", "p" * 2000)]).status == 200
    with proxy.client() as c:
        c.send(request_bytes("GET", "/big", [("X-Pad", "p" * 6000)]))
        assert c.response().status == 400
    assert [r.target for r in upstream.wait_requests(1)] == ["/small"]
    proxy.wait_metrics([("waf_proxy_rejected_requests_total", {"reason": "header_too_large"}, 1)])


def test_bad_request_pipelined_after_a_good_one_only_stops_the_bad_one(proxy, upstream):
    good = request_bytes("POST", "/upload", body=b"hello")
    bad = f"POST /evil HTTP/1.1\r\n{H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".encode()
    with proxy.client() as c:
        c.send(good + bad)
        first = c.response("POST")
        assert (first.status, first.body.split()[0]) == (200, b"5")
        assert c.response().status == 400
        assert c.closed_by_peer()
    assert [r.target for r in upstream.wait_requests(1)] == ["/upload"]
    assert b"/evil" not in upstream.received_bytes()


def test_obsolete_line_folding_is_rejected_or_unfolded(proxy, upstream):
    # RFC 9112 5.2: reject with 400, or replace each fold with spaces before forwarding. Passing the
    # fold on would let the app and the proxy disagree about the headers.
    with proxy.client() as c:
        c.send(f"GET /fold HTTP/1.1\r\n{H}X-Folded: a\r\n  b\r\n\r\n".encode())
        status = c.response().status
    if status == 400:
        assert upstream.total_bytes == 0
    else:
        req = upstream.wait_requests(1)[0]
        assert b"\r\n  b" not in req.raw_head and b"\r\n\tb" not in req.raw_head, req.raw_head
