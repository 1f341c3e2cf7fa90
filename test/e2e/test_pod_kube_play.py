"""A protected Pod running for real: the controller's injected Pod, run by `podman kube play`.

`waf controller` (over TLS, as the API server calls it) injects a labelled Pod whose app is the
waf image running `waf demo-app`; the patch is applied (pod/json_patch.py) and the Pod runs with
the locally built image. From the host, by Pod IP only:
- with iptables capture, the app port answers through the proxy: 403 for attacks in block mode,
  forwarded in monitoring mode, visible in the proxy's metrics and security events;
- the init container's nat rules are exactly the golden plan of test/unit/iptables/testdata;
- with `iptables-enable: "false"` the proxy port protects and the app port is reachable directly;
- SIGTERM drains: a request in flight when the proxy is stopped completes, and the Pod stops
  cleanly (exit codes 0, no SIGKILL).
The proxy is a regular container (`native-sidecar: "false"`): podman 4.3 runs init containers to
completion before the others, so a native sidecar would never let the Pod start.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import time
import uuid

import pytest

from conftest import require_root, require_tool
from k8s.controller import Controller, decoded_patch, make_cert
from pod import json_patch
from pod.podman import PODMAN, KubePod, build_image, podman, wait_until

HERE = os.path.dirname(os.path.abspath(__file__))
IPTABLES_TESTDATA = os.path.join(HERE, "../unit/iptables/testdata")
APP_PORT, PROXY_PORT, ADMIN_PORT = 8080, 8000, 9901
# The golden plan for each init-iptables argument list the controller may render.
GOLDEN_FOR_ARGS = {
    ("--proxy-port", "8000", "--application-ports", "8080"): "no_admin_port.rules",
    ("--proxy-port", "8000", "--application-ports", "8080", "--admin-port", "9901"): "default.rules",
}
TRAVERSAL = "/api/echo?file=../../etc/passwd"
SQLI = "/api/echo?id=1%27%20OR%20%271%27=%271"


def for_podman(pod, name):
    """What podman 4.3 needs to run a Kubernetes Pod like a kubelet does.

    - a name (no generateName);
    - init containers removed once finished (RECIPES.md), and restartPolicy OnFailure: under the
      default Always, podman 4.3 also restarts the finished init container, forever;
    - no container `ports`: podman publishes each on the host's 0.0.0.0, Kubernetes does not, and
      the tests reach the Pod by its IP only. The probes go with them: they name those ports, and
      podman turns httpGet probes into systemd-timer health checks running curl inside the
      container (neither exists here); the tests read /readyz themselves.
    """
    pod = json.loads(json.dumps(pod))
    pod["metadata"]["name"] = name
    pod["metadata"]["annotations"]["io.podman.annotations.init.container.type"] = "always"
    pod["spec"]["restartPolicy"] = "OnFailure"
    for container in pod["spec"].get("initContainers", []) + pod["spec"]["containers"]:
        for key in ("ports", "readinessProbe", "livenessProbe", "startupProbe"):
            container.pop(key, None)
    return pod


def http_get(ip, port, path, timeout=10):
    conn = http.client.HTTPConnection(ip, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode(errors="replace")
    finally:
        conn.close()


def metric(ip, name_with_labels):
    _, text = http_get(ip, ADMIN_PORT, "/metrics")
    for line in text.splitlines():
        if line.startswith(name_with_labels + " "):
            return float(line.split()[-1])
    raise AssertionError(f"no {name_with_labels} in the proxy's metrics")


def without_namespace_field_refs(pod, namespace):
    """podman kube play has no namespaces and refuses `fieldRef: metadata.namespace`; the kubelet
    would resolve it to the Pod's namespace, so the test does that (every other field is kept)."""
    spec = pod["spec"]
    for container in spec.get("containers", []) + spec.get("initContainers", []):
        for var in container.get("env", []):
            if var.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") == "metadata.namespace":
                del var["valueFrom"]
                var["value"] = namespace
    return pod


class Injector:
    """`waf controller` with the local image as its proxy image, turning Pods into injected Pods."""

    def __init__(self, waf_bin, image, workdir):
        self.certs = make_cert(workdir, "webhook")
        config = os.path.join(workdir, "injector.json")
        with open(config, "w") as f:
            json.dump({"proxy": {"image": image}}, f)
        self.controller = Controller(waf_bin, self.certs["cert"], self.certs["key"], config=config)
        self.image = image

    def inject(self, annotations):
        pod = {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"labels": {"app": "web", "waf-sidecar": "enabled"},
                         "annotations": {"sidecar.waf.io/native-sidecar": "false", **annotations}},
            "spec": {"containers": [{
                "name": "web", "image": self.image, "args": ["demo-app", "--listen", f"0.0.0.0:{APP_PORT}"],
                "ports": [{"name": "http", "containerPort": APP_PORT, "protocol": "TCP"}]}]},
        }
        review = {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                  "request": {"uid": uuid.uuid4().hex, "kind": {"group": "", "version": "v1", "kind": "Pod"},
                              "resource": {"group": "", "version": "v1", "resource": "pods"},
                              "operation": "CREATE", "namespace": "default", "object": pod}}
        status, answer = self.controller.post(self.certs["ca"], json.dumps(review).encode())
        assert status == 200 and answer["response"]["allowed"], answer
        return without_namespace_field_refs(json_patch.apply(pod, decoded_patch(answer)), "default")

    def stop(self):
        self.controller.stop()


class RunningPod:
    """An injected Pod started by kube play, with its IP, once the app and the proxy listen."""

    def __init__(self, injector, workdir, annotations):
        self.injected = injector.inject(annotations)
        self.pod = KubePod(for_podman(self.injected, f"waf-e2e-{uuid.uuid4().hex[:8]}"), workdir)

    def start(self):
        self.pod.play()
        self.pod.wait_for_event("web", "listening", listener="demo-app")
        self.pod.wait_for_event("waf-proxy", "listening", listener="admin")
        self.ip = self.pod.ip()
        wait_until(lambda: http_get(self.ip, ADMIN_PORT, "/readyz")[0] == 200, 30, "the proxy to be ready")
        return self

    def init_container(self):
        init = self.injected["spec"].get("initContainers", [])
        return init[0] if init else None


@pytest.fixture(scope="module")
def injector(waf_bin, tmp_path_factory):
    require_root()
    for tool in ("podman", "runc", "catatonit", "nsenter", "openssl", "iptables-nft-save", "iptables-legacy-save"):
        require_tool(tool)
    tag = build_image(waf_bin, f"localhost/waf-pod-test:{uuid.uuid4().hex[:8]}")
    inj = None
    try:
        inj = Injector(waf_bin, tag, str(tmp_path_factory.mktemp("controller")))
        yield inj
    finally:
        if inj:
            inj.stop()
        podman("rmi", "-f", tag, check=False)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("pods"))


def running(injector, workdir, annotations):
    pod = RunningPod(injector, workdir, annotations)
    try:
        yield pod.start()
    finally:
        pod.pod.remove()


@pytest.fixture(scope="module")
def block_pod(injector, workdir):
    yield from running(injector, workdir, {"sidecar.waf.io/mode": "block"})


@pytest.fixture(scope="module")
def monitoring_pod(injector, workdir):
    yield from running(injector, workdir, {"sidecar.waf.io/mode": "monitoring"})


@pytest.fixture(scope="module")
def no_iptables_pod(injector, workdir):
    yield from running(injector, workdir, {"sidecar.waf.io/mode": "block", "sidecar.waf.io/iptables-enable": "false"})


@pytest.fixture
def stoppable_pod(injector, workdir):
    yield from running(injector, workdir, {"sidecar.waf.io/mode": "block"})


def test_app_port_reaches_the_app_through_the_proxy(block_pod):
    before = metric(block_pod.ip, 'waf_proxy_requests_total{code_class="2xx"}')
    status, body = http_get(block_pod.ip, APP_PORT, "/api/echo?q=blue+shoes")
    assert status == 200
    echoed = json.loads(body)
    assert echoed["target"] == "/api/echo?q=blue+shoes"
    # Headers only the proxy adds: the request went through it, not straight to the app.
    assert len(echoed["headers"]["X-Request-Id"]) == 32
    assert "X-Forwarded-For" in echoed["headers"]
    assert metric(block_pod.ip, 'waf_proxy_requests_total{code_class="2xx"}') == before + 1
    status, body = http_get(block_pod.ip, APP_PORT, "/")
    assert status == 200 and "demo app" in body


@pytest.mark.parametrize("path,attack_class", [("/etc/passwd", "path_traversal"), (TRAVERSAL, "path_traversal"),
                                               (SQLI, "sqli")])
def test_block_mode_answers_attacks_403(block_pod, path, attack_class):
    blocked = f'waf_attacks_total{{class="{attack_class}",action="blocked"}}'
    before = metric(block_pod.ip, blocked)
    status, _ = http_get(block_pod.ip, APP_PORT, path)
    assert status == 403
    assert metric(block_pod.ip, blocked) == before + 1
    events = [e for e in block_pod.pod.events("waf-proxy") if e.get("schema") == "waf.event/v1"]
    assert any(e["action"] == "blocked" and attack_class in e["classes"] for e in events), events


@pytest.mark.parametrize("path,attack_class,app_status", [("/etc/passwd", "path_traversal", 404),
                                                          (TRAVERSAL, "path_traversal", 200), (SQLI, "sqli", 200)])
def test_monitoring_mode_forwards_attacks_and_reports_them(monitoring_pod, path, attack_class, app_status):
    monitored = f'waf_attacks_total{{class="{attack_class}",action="monitored"}}'
    before = metric(monitoring_pod.ip, monitored)
    status, _ = http_get(monitoring_pod.ip, APP_PORT, path)
    assert status == app_status  # the app's own answer: the demo app has no /etc/passwd
    assert metric(monitoring_pod.ip, monitored) == before + 1


def nat_chains(text):
    """{chain: [rule, ...]} of iptables-save or golden restore text, built-in chains included."""
    chains = {name: [] for name in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")}
    for line in text.splitlines():
        if line.startswith(":"):
            chains.setdefault(line[1:].split()[0], [])
        elif line.startswith("-A "):
            chain, rule = line[3:].split(" ", 1)
            chains.setdefault(chain, []).append(rule)
    return chains


def golden_plan(name):
    """{family: chains} from a golden file whose sections start with '# ipv4:' / '# ipv6:'."""
    with open(os.path.join(IPTABLES_TESTDATA, name)) as f:
        sections = re.split(r"^# (ipv4|ipv6):.*$", f.read(), flags=re.M)
    return {family: nat_chains(body) for family, body in zip(sections[1::2], sections[2::2])}


def test_init_container_rules_are_the_golden_plan(block_pod):
    args = tuple(block_pod.init_container()["args"])
    assert args[0] == "init-iptables"
    assert args[1:] in GOLDEN_FOR_ARGS, f"no golden plan for the controller's init-iptables arguments {args}"
    golden = golden_plan(GOLDEN_FOR_ARGS[args[1:]])
    applied = [e for e in block_pod.pod.events("waf-init-iptables") if e.get("event") == "capture_applied"]
    assert {e["family"] for e in applied} == set(golden), applied
    for event in applied:
        save = {"ipv4": "iptables", "ipv6": "ip6tables"}[event["family"]] + f"-{event['backend']}-save"
        rules = block_pod.pod.in_netns(save, "-t", "nat").stdout
        assert nat_chains(rules) == golden[event["family"]], rules
    assert block_pod.pod.state("waf-init-iptables") == ("exited", 0)


def test_without_iptables_the_proxy_port_protects_and_the_app_port_is_direct(no_iptables_pod):
    assert no_iptables_pod.init_container() is None
    assert "waf-init-iptables" not in {c["name"] for c in no_iptables_pod.injected["spec"]["containers"]}
    assert no_iptables_pod.pod.in_netns("iptables-nft-save", "-t", "nat").stdout.count("-A ") == 0
    assert http_get(no_iptables_pod.ip, PROXY_PORT, SQLI)[0] == 403
    assert http_get(no_iptables_pod.ip, PROXY_PORT, TRAVERSAL)[0] == 403
    status, body = http_get(no_iptables_pod.ip, APP_PORT, SQLI)
    assert status == 200
    assert "X-Request-Id" not in json.loads(body)["headers"]  # straight to the app, no proxy


def test_sigterm_drains_in_flight_requests_and_the_pod_stops_cleanly(stoppable_pod):
    ip, pod = stoppable_pod.ip, stoppable_pod.pod
    body = b'{"order": 42}'
    with socket.create_connection((ip, APP_PORT), timeout=30) as client:
        # Half a request: the proxy holds it in flight until the rest arrives.
        client.sendall(b"POST /api/echo HTTP/1.1\r\nHost: web\r\nContent-Type: application/json\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
        wait_until(lambda: metric(ip, "waf_proxy_connections_active") >= 1, 15, "the connection in the proxy")
        stop = subprocess.Popen([PODMAN, "stop", "-t", "20", pod.container("waf-proxy")],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            pod.wait_for_event("waf-proxy", "draining", timeout=30, signal="SIGTERM")
            assert http_get(ip, ADMIN_PORT, "/readyz")[0] == 503  # out of the Service while draining
            client.sendall(body[5:])
            response = client.makefile("rb").read().decode()
        finally:
            stop.wait(timeout=60)
    status_line, _, rest = response.partition("\r\n")
    assert status_line == "HTTP/1.1 200 OK", response
    assert json.loads(rest.split("\r\n\r\n", 1)[1])["body"] == body.decode()
    assert "connection: close" in rest.lower()  # a draining proxy closes kept-alive connections
    assert pod.state("waf-proxy") == ("exited", 0), pod.logs("waf-proxy")
    assert not [e for e in pod.events("waf-proxy") if e.get("event") == "drain_deadline_passed"]

    started = time.monotonic()
    out = podman("pod", "stop", "-t", "20", pod.name, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    assert time.monotonic() - started < 20, "a container ignored SIGTERM and was killed"
    assert pod.state("web") == ("exited", 0), pod.logs("web")
