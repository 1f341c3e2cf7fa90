"""etcd + kube-apiserver + kube-controller-manager on loopback, and a tiny REST client for them.

No kubelet or scheduler: Pods stay Pending, which is all admission needs (the API server returns
the Pod as the webhook mutated it). Every wait is a bounded poll.
"""
import json
import os
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request

TOKEN = "waf-e2e-admin-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = condition()
            if result:
                return result
        except Exception as e:  # noqa: BLE001 - keep polling until the deadline, then report
            last = e
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what} (last error: {last})")


class ApiError(Exception):
    def __init__(self, code, body):
        super().__init__(f"HTTP {code}: {body}")
        self.code = code
        self.body = body


class Cluster:
    def __init__(self, workdir, etcd, apiserver, controller_manager):
        self.dir = workdir
        self.procs = []
        self.logs = []
        run = lambda *a: subprocess.run(a, check=True, capture_output=True)  # noqa: E731
        d = lambda name: os.path.join(workdir, name)  # noqa: E731
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d("api.key"), "-out", d("api.crt"),
            "-days", "1", "-subj", "/CN=kube-apiserver", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
        run("openssl", "genrsa", "-out", d("sa.key"), "2048")
        run("openssl", "rsa", "-in", d("sa.key"), "-pubout", "-out", d("sa.pub"))
        with open(d("tokens.csv"), "w") as f:
            f.write(f"{TOKEN},admin,admin-uid,system:masters\n")
        self.ca = d("api.crt")
        client_port, peer_port, self.port = free_port(), free_port(), free_port()
        self.server = f"https://127.0.0.1:{self.port}"
        self._start("etcd", [etcd, "--data-dir", d("etcd"), "--name", "default",
                             "--listen-client-urls", f"http://127.0.0.1:{client_port}",
                             "--advertise-client-urls", f"http://127.0.0.1:{client_port}",
                             "--listen-peer-urls", f"http://127.0.0.1:{peer_port}",
                             "--initial-advertise-peer-urls", f"http://127.0.0.1:{peer_port}",
                             "--initial-cluster", f"default=http://127.0.0.1:{peer_port}"])
        self._start("kube-apiserver", [
            apiserver, f"--etcd-servers=http://127.0.0.1:{client_port}", "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1", f"--secure-port={self.port}", f"--tls-cert-file={d('api.crt')}",
            f"--tls-private-key-file={d('api.key')}", f"--token-auth-file={d('tokens.csv')}",
            "--authorization-mode=RBAC", "--service-account-issuer=https://kubernetes.default.svc",
            f"--service-account-key-file={d('sa.pub')}", f"--service-account-signing-key-file={d('sa.key')}",
            "--service-cluster-ip-range=10.96.0.0/24", "--disable-admission-plugins=ServiceAccount",
            "--enable-priority-and-fairness=false", "--profiling=false"])
        self.kubeconfig = d("kubeconfig")
        with open(self.kubeconfig, "w") as f:
            f.write(f"""apiVersion: v1
kind: Config
clusters: [{{name: e2e, cluster: {{server: "{self.server}", certificate-authority: "{self.ca}"}}}}]
users: [{{name: admin, user: {{token: {TOKEN}}}}}]
contexts: [{{name: e2e, context: {{cluster: e2e, user: admin}}}}]
current-context: e2e
""")
        try:
            wait_for(lambda: self.raw("GET", "/readyz") == b"ok", 180, "kube-apiserver /readyz")
        except BaseException:
            self.stop()
            raise
        self._start("kube-controller-manager", [
            controller_manager, f"--kubeconfig={self.kubeconfig}", "--leader-elect=false", "--secure-port=0",
            "--controllers=deployment,replicaset,job,namespace,garbagecollector,serviceaccount",
            "--use-service-account-credentials=false"])

    def _start(self, name, args):
        log = open(os.path.join(self.dir, f"{name}.log"), "w")
        self.logs.append(log)
        self.procs.append((name, subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)))

    def stop(self):
        for _, p in reversed(self.procs):
            p.terminate()
        for _, p in reversed(self.procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for log in self.logs:
            log.close()

    def raw(self, method, path, body=None, content_type="application/json", headers_out=None):
        context = ssl.create_default_context(cafile=self.ca)
        req = urllib.request.Request(self.server + path, data=body, method=method,
                                     headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type,
                                              "Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, context=context, timeout=30) as resp:
                if headers_out is not None:
                    headers_out.extend(resp.headers.items())
                return resp.read()
        except urllib.error.HTTPError as e:
            raise ApiError(e.code, e.read().decode(errors="replace")) from None

    def get(self, path):
        return json.loads(self.raw("GET", path))

    def create(self, path, obj):
        if isinstance(obj, str):
            return json.loads(self.raw("POST", path, obj.encode(), "application/yaml"))
        return json.loads(self.raw("POST", path, json.dumps(obj).encode()))

    def patch(self, path, obj):
        return json.loads(self.raw("PATCH", path, json.dumps(obj).encode(), "application/merge-patch+json"))

    def delete(self, path):
        return json.loads(self.raw("DELETE", path))


# Where each kind of an example manifest is created.
RESOURCE_PATHS = {
    "Deployment": "/apis/apps/v1/namespaces/{ns}/deployments",
    "Job": "/apis/batch/v1/namespaces/{ns}/jobs",
    "Service": "/api/v1/namespaces/{ns}/services",
    "Pod": "/api/v1/namespaces/{ns}/pods",
}
