"""The proxy behind `waf init-iptables` in real network namespaces: one proxy protects every
application port of a Pod, forwarding each connection to the port the client dialled
(SO_ORIGINAL_DST), with the client's real address in X-Forwarded-For."""
import json
import queue
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from conftest import require_root, require_tool
from test_init_iptables_netns import CLIENT_V4, POD_V4, Netns

PROXY_PORT, ADMIN_PORT = 8000, 9901
APP_PORTS = (8080, 8443)

# Runs in the pod namespace: one tiny HTTP app per port, answering with its name and the
# X-Forwarded-For it received. Bounded lifetime.
APPS = r"""
import http.server, json, sys, threading, time
class App(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"app": self.server.server_port, "xff": self.headers.get("X-Forwarded-For")}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
for port in sys.argv[1:]:
    s = http.server.ThreadingHTTPServer(("0.0.0.0", int(port)), App)
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("ready", flush=True)
time.sleep(120)
"""

CURL = r"""
import sys, urllib.request, urllib.error, json
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(json.dumps({"status": r.status, "body": r.read().decode()}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": e.code, "body": e.read().decode()}))
"""


def wait_line(proc, stream, predicate, timeout=15):
    """Reads `stream` of `proc` line by line on a thread (select() cannot see lines Python has
    already buffered) until `predicate` holds; fails after `timeout` or when the process exits."""
    lines = queue.Queue()

    def pump():
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError("timed out waiting for the process to become ready")
        assert line is not None, f"process exited ({proc.poll()})"
        if predicate(line):
            return line


@pytest.fixture
def pod(waf_bin):
    require_root()
    require_tool("iptables")
    net = Netns()
    procs = []
    try:
        net.create()
        apps = subprocess.Popen(["ip", "netns", "exec", net.pod, sys.executable, "-c", APPS] + [str(p) for p in APP_PORTS],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(apps)
        wait_line(apps, apps.stdout, lambda l: l.strip() == "ready")
        net.run(net.pod, waf_bin, "init-iptables", "--proxy-port", str(PROXY_PORT), "--admin-port", str(ADMIN_PORT),
                "--application-ports", ",".join(map(str, APP_PORTS)))
        proxy = subprocess.Popen(["ip", "netns", "exec", net.pod, waf_bin, "proxy", "--listen", f"0.0.0.0:{PROXY_PORT}",
                                  "--admin-listen", f"127.0.0.1:{ADMIN_PORT}", "--upstream", f"127.0.0.1:{APP_PORTS[0]}",
                                  "--mode", "block", "--workers", "1", "--log-format", "json"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(proxy)
        wait_line(proxy, proxy.stderr, lambda l: '"listener":"admin"' in l)
        yield net
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
        net.destroy()


def get(net, url):
    out = net.run(net.client, sys.executable, "-c", CURL, url).stdout
    return json.loads(out)


def test_each_application_port_reaches_its_own_app_through_the_proxy(pod):
    for port in APP_PORTS:
        answer = get(pod, f"http://{POD_V4}:{port}/hello")
        assert answer["status"] == 200
        body = json.loads(answer["body"])
        assert body == {"app": port, "xff": CLIENT_V4}


def test_attacks_on_any_application_port_are_blocked(pod):
    for port in APP_PORTS:
        answer = get(pod, f"http://{POD_V4}:{port}/read?file=" + urllib.parse.quote("../../../etc/passwd"))
        assert answer["status"] == 403
        assert json.loads(answer["body"])["error"] == "request blocked"
