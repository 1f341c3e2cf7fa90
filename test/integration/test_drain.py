"""Graceful drain on SIGTERM: stop accepting, close idle connections, finish what is in flight."""
import signal
import socket
import time

from httpwire import Client, request_bytes, wait_until
from wafproc import Proxy, proxy_argv

MiB = 1024 * 1024


def connect_refused(port):
    """True when a new connection is turned away: refused, or reset because it raced the listener
    being closed."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except (ConnectionRefusedError, ConnectionResetError):
        return True


def test_sigterm_finishes_in_flight_requests_and_refuses_new_connections(waf_bin, upstream):
    proxy = Proxy(proxy_argv(waf_bin, upstream.address, ["--drain-timeout", "20s"])).wait_ready()
    try:
        idle = Client(proxy.port)
        assert idle.request("GET", "/idle").status == 200
        busy = Client(proxy.port)
        busy.send(request_bytes("GET", "/gate/drain"))
        upstream.wait_requests(2)

        proxy.signal(signal.SIGTERM)
        wait_until(lambda: connect_refused(proxy.port), timeout=10, interval=0.02,
                   what="the proxy listener to close after SIGTERM")
        assert idle.closed_by_peer(timeout=10), "an idle keep-alive connection survived the drain"
        assert proxy.admin("/readyz").status == 503, "readyz must report draining"
        assert proxy.proc.poll() is None, "the proxy exited with a request in flight"

        upstream.open_gate("drain")
        resp = busy.response()
        assert resp.status == 200
        assert resp.body_len == MiB and len(resp.body) == MiB, "the in-flight response was cut short"
        assert "close" in resp.connection_tokens(), resp.raw_head
        assert busy.closed_by_peer(), "the drained connection stayed open after its last response"
        busy.close()
        idle.close()
        rc = proxy.wait_exit(15)
        proxy.assert_clean(rc)
    finally:
        if proxy.proc.poll() is None:
            proxy.proc.kill()
            proxy.proc.wait()


def test_drain_deadline_bounds_the_exit(waf_bin, upstream):
    proxy = Proxy(proxy_argv(waf_bin, upstream.address, ["--drain-timeout", "1s"])).wait_ready()
    try:
        stuck = Client(proxy.port)
        stuck.send(request_bytes("GET", "/gate/never"))
        upstream.wait_requests(1)
        t0 = time.monotonic()
        proxy.signal(signal.SIGTERM)
        rc = proxy.wait_exit(15)
        elapsed = time.monotonic() - t0
        assert elapsed < 6, f"exit took {elapsed:.1f}s with a 1s drain timeout"
        proxy.assert_clean(rc)
        stuck.close()
    finally:
        upstream.open_gate("never")
        if proxy.proc.poll() is None:
            proxy.proc.kill()
            proxy.proc.wait()


def test_sigint_drains_like_sigterm(start_proxy, upstream):
    proxy = start_proxy(upstream.address)
    assert proxy.get("/x").status == 200
    proxy.signal(signal.SIGINT)
    proxy.assert_clean(proxy.wait_exit(15))
