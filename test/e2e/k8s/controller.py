"""Runs `waf controller` and talks to it over TLS the way the API server does."""
import base64
import http.client
import json
import os
import re
import ssl
import collections
import subprocess
import threading
import time

LISTENING = re.compile(r'"event":"listening".*"listener":"(\w+)".*"address":"([^"]+)"')


def make_cert(directory, name, ips=("127.0.0.1",), dns=("localhost",)):
    """A self-signed CA and a server certificate signed by it, as PEM files; returns their paths."""
    ca_key, ca_crt = os.path.join(directory, f"{name}-ca.key"), os.path.join(directory, f"{name}-ca.crt")
    key, csr, crt = (os.path.join(directory, f"{name}.{ext}") for ext in ("key", "csr", "crt"))
    run = lambda *args: subprocess.run(args, check=True, capture_output=True)  # noqa: E731
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt,
        "-days", "1", "-subj", f"/CN={name}-ca")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={name}")
    san = ",".join([f"IP:{ip}" for ip in ips] + [f"DNS:{d}" for d in dns])
    ext = os.path.join(directory, f"{name}.ext")
    with open(ext, "w") as f:
        f.write(f"subjectAltName={san}\n")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-out", crt,
        "-days", "1", "-extfile", ext)
    return {"ca": ca_crt, "cert": crt, "key": key}


class Controller:
    """A `waf controller` process on 127.0.0.1 with ports read from its 'listening' log lines."""

    def __init__(self, waf_bin, cert, key, config=None, extra=(), port=0, timeout=15):
        args = [waf_bin, "controller", "--listen", f"127.0.0.1:{port}", "--admin-listen", "127.0.0.1:0",
                "--tls-cert", cert, "--tls-key", key, "--log-format", "json", "--reload-interval", "200ms", *extra]
        if config:
            args += ["--config", config]
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.addresses = {}
        self.log = []
        deadline = time.monotonic() + timeout
        while len(self.addresses) < 2:
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"controller did not start: {self.log}")
            line = self.proc.stderr.readline()
            if not line:
                self.proc.wait(timeout=5)
                raise RuntimeError(f"controller exited {self.proc.returncode}: {self.log}")
            self.log.append(line)
            m = LISTENING.search(line)
            if m:
                self.addresses[m.group(1)] = m.group(2)
        # Keep reading stderr: a full pipe would block the controller's next log line (and with it
        # every answer). The last lines stay available for failure messages.
        self.log = collections.deque(self.log, maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()
        self.port = int(self.addresses["webhook"].rsplit(":", 1)[1])
        self.admin_port = int(self.addresses["admin"].rsplit(":", 1)[1])

    def _drain(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode

    def connect(self, ca):
        context = ssl.create_default_context(cafile=ca)
        return http.client.HTTPSConnection("127.0.0.1", self.port, context=context, timeout=10)

    def post(self, ca, body, conn=None):
        own = conn is None
        conn = conn or self.connect(ca)
        try:
            conn.request("POST", "/mutate", body=body, headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read())
        finally:
            if own:
                conn.close()

    def admin(self, path):
        conn = http.client.HTTPConnection("127.0.0.1", self.admin_port, timeout=10)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, resp.read().decode()
        finally:
            conn.close()

    def metric(self, name_with_labels):
        _, text = self.admin("/metrics")
        for line in text.splitlines():
            if line.startswith(name_with_labels + " "):
                return float(line.split()[-1])
        return None


def decoded_patch(review_response):
    patch = review_response["response"].get("patch")
    return json.loads(base64.b64decode(patch)) if patch else []
