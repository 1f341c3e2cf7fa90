"""Exporters of `waf postanalytics` against real receivers on loopback: the webhook gets batches of
the stored events, syslog over UDP gets one RFC 5424 message per event, stdout one JSON line."""
import http.server
import json
import re
import socket
import threading

from httpwire import wait_until
from pa_client import event

SYSLOG_LINE = re.compile(r"^<(\d+)>1 (\S+) (\S+) waf (\d+) attack - (\{.*\})$")


class WebhookReceiver:
    """Records the JSON bodies POSTed to it; answers 503 to the first `fail_first` posts."""

    def __init__(self, fail_first=0):
        self.bodies = []
        self.fail_first = fail_first
        self.posts = 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                data = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts += 1
                if receiver.posts <= receiver.fail_first:
                    self.send_response(503)
                else:
                    receiver.bodies.append((self.path, self.headers["Content-Type"], json.loads(data)))
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/waf"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [e for _, _, body in list(self.bodies) for e in body["events"]]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_webhook_syslog_and_stdout_receive_every_stored_event(start_postanalytics):
    webhook = WebhookReceiver(fail_first=1)  # the first POST fails: the batch is retried
    syslog = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    syslog.bind(("127.0.0.1", 0))
    syslog.settimeout(10)
    try:
        pa = start_postanalytics("--export-webhook", webhook.url,
                                 "--export-syslog", f"udp://127.0.0.1:{syslog.getsockname()[1]}",
                                 "--export-stdout")
        events = [event(n, action="blocked" if n % 2 else "monitored") for n in range(5)]
        status, body = pa.send_batch(events, sender="proxy:1:0", seq=1)
        assert status == 200 and body["accepted_events"] == 5, body
        # A retried batch is not stored again, so it is not exported twice.
        status, body = pa.send_batch(events, sender="proxy:1:0", seq=1)
        assert status == 200 and body["duplicate"] is True, body

        got = wait_until(lambda: len(webhook.events()) >= 5 and webhook.events(), what="5 events at the webhook")
        assert sorted(e["request_id"] for e in got) == [f"req-{n}" for n in range(5)]
        path, content_type, _ = webhook.bodies[0]
        assert path == "/hooks/waf" and content_type == "application/json"
        assert webhook.posts >= 2

        messages = [syslog.recv(65535).decode() for _ in range(5)]
        by_request = {}
        for m in messages:
            match = SYSLOG_LINE.match(m)
            assert match, m
            payload = json.loads(match.group(5))
            by_request[payload["request_id"]] = (int(match.group(1)), match.group(2))
        assert sorted(by_request) == [f"req-{n}" for n in range(5)]
        assert by_request["req-1"] == (16 * 8 + 4, "2026-11-22T15:45:56.123Z")  # blocked: local0.warning
        assert by_request["req-0"][0] == 16 * 8 + 5                              # monitored: local0.notice

        def stdout_events():
            with pa._cond:
                lines = list(pa.stdout_lines)
            return [json.loads(l)["request_id"] for l in lines if l.startswith("{")]
        assert sorted(wait_until(lambda: len(stdout_events()) >= 5 and stdout_events(), what="stdout lines")) == \
            [f"req-{n}" for n in range(5)]

        m = pa.wait_metrics([("waf_postanalytics_export_sent_total", {"exporter": "webhook"}, 5),
                             ("waf_postanalytics_export_sent_total", {"exporter": "syslog"}, 5),
                             ("waf_postanalytics_export_sent_total", {"exporter": "stdout"}, 5)])
        assert m.value("waf_postanalytics_export_errors_total", exporter="webhook") >= 1
        assert m.value("waf_postanalytics_export_dropped_total", exporter="webhook") == 0
    finally:
        webhook.stop()
        syslog.close()


def test_bad_exporter_option_refuses_to_start(waf_bin):
    import subprocess
    from pa_client import postanalytics_argv
    out = subprocess.run(postanalytics_argv(waf_bin, ["--export-syslog", "syslog://x:514"]),
                         capture_output=True, timeout=30)
    assert out.returncode != 0
    assert b"--export-syslog" in out.stderr


def test_webhook_over_https_verifies_the_receiver(start_postanalytics, tmp_path):
    """https:// with a receiver certificate signed by a CA given through SSL_CERT_FILE; a receiver
    the CA does not vouch for gets nothing (the handshake fails and is counted)."""
    import shutil
    import ssl
    import subprocess
    if shutil.which("openssl") is None:
        import pytest
        pytest.skip("openssl is not installed (Debian package openssl)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=receiver", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    webhook = WebhookReceiver()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    webhook.server.socket = context.wrap_socket(webhook.server.socket, server_side=True)
    https_url = webhook.url.replace("http://", "https://")
    try:
        trusted = start_postanalytics("--export-webhook", https_url, env={"SSL_CERT_FILE": str(cert)})
        untrusted = start_postanalytics("--export-webhook", https_url, env={"SSL_CERT_FILE": "/nonexistent"})
        for pa in (trusted, untrusted):
            status, body = pa.send_batch([event(1)], sender="proxy:1:0", seq=1)
            assert status == 200, body
        got = wait_until(lambda: webhook.events(), what="the event over https")
        assert [e["request_id"] for e in got] == ["req-1"]
        untrusted.wait_metrics([("waf_postanalytics_export_errors_total", {"exporter": "webhook"},
                                 lambda v: v is not None and v >= 1)], timeout=10)
        assert len(webhook.events()) == 1
    finally:
        webhook.stop()
