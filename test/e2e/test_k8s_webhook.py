"""The chart and `waf controller` against a real kube-apiserver (etcd, apiserver and
controller-manager on loopback, built by scripts/k8s-tools.sh).

The chart is installed with `helm install`; the webhook's clientConfig.url points at the
controller running on 127.0.0.1 with the chart-generated certificate and ConfigMap, read back from
the API. Pods are never scheduled: admission is what is under test.
"""
import base64
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import require_tool
from k8s.cluster import RESOURCE_PATHS, ApiError, Cluster, free_port, wait_for
from k8s.controller import Controller, make_cert
from k8s.tools import ROOT, k8s_tool

CHART = os.path.join(ROOT, "chart")
EXAMPLES = os.path.join(ROOT, "examples")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "k8s", "golden")
TESTDATA = os.path.join(ROOT, "test/unit/controller/testdata")
NS = "shop"
PODS = f"/api/v1/namespaces/{NS}/pods"
PREFIX = "sidecar.waf.io/"


class Env:
    """One cluster, one chart release and one controller for the whole module."""

    def __init__(self, tmp, waf_bin):
        self.tmp, self.waf_bin = tmp, waf_bin
        self.helm = k8s_tool("helm")
        self.controller = None
        self.cluster = Cluster(tmp, require_tool("etcd"), k8s_tool("kube-apiserver"),
                               k8s_tool("kube-controller-manager"))
        try:
            self._install()
        except BaseException:
            self.stop()  # never leave a cluster running behind a failed setup
            raise

    def _install(self):
        tmp = self.tmp
        self.port = free_port()
        self.helm_cmd("install", "--create-namespace")
        secret = self.cluster.get("/api/v1/namespaces/waf/secrets/waf-webhook-tls")["data"]
        self.cert, self.key, self.ca = (os.path.join(tmp, n) for n in ("tls.crt", "tls.key", "ca.crt"))
        for name, path in (("tls.crt", self.cert), ("tls.key", self.key), ("ca.crt", self.ca)):
            with open(path, "wb") as f:
                f.write(base64.b64decode(secret[name]))
        self.postanalytics_token = self.cluster.get("/api/v1/namespaces/waf/secrets/waf-postanalytics-token")["data"]["token"]
        config = self.cluster.get("/api/v1/namespaces/waf/configmaps/waf-controller")["data"]["config.json"]
        self.config = os.path.join(tmp, "config.json")
        with open(self.config, "w") as f:
            f.write(config)
        self.start_controller()
        self.cluster.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}})
        # The API server picks up a new webhook configuration asynchronously: wait until it calls it.
        wait_for(lambda: injected(self.dry_run_pod()), 60, "the webhook to be called")

    def helm_cmd(self, verb, *extra):
        args = [self.helm, verb, "waf", CHART, "-n", "waf", "--kubeconfig", self.cluster.kubeconfig,
                "--set", f"webhook.url=https://127.0.0.1:{self.port}/mutate",
                "--set", "webhook.tls.ipAddresses={127.0.0.1}",
                "--set", "image.repository=registry.example/waf", "--set", "image.tag=test", *extra]
        out = subprocess.run(args, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
        return out.stdout

    def start_controller(self):
        self.controller = Controller(self.waf_bin, self.cert, self.key, config=self.config, port=self.port)

    def dry_run_pod(self, **kw):
        return self.cluster.create(PODS + "?dryRun=All", pod("probe", **kw))

    def stop(self):
        if self.controller:
            self.controller.stop()
        self.cluster.stop()


def pod(name, labels=None, annotations=None, ports=({"name": "http", "containerPort": 8080},)):
    metadata = {"name": name, "labels": {"waf-sidecar": "enabled"} if labels is None else labels}
    if annotations:
        metadata["annotations"] = annotations
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": {"containers": [{"name": "app", "image": "registry.example/app:1", "ports": list(ports)}]}}


def injected(p):
    return p["metadata"].get("annotations", {}).get(PREFIX + "status") == "injected"


def waf_containers(p):
    spec = p["spec"]
    return [c for c in spec.get("initContainers", []) + spec["containers"] if c["name"].startswith("waf-")]


def proxy_of(p):
    return next(c for c in waf_containers(p) if c["name"] == "waf-proxy")


def arg(container, flag):
    return container["args"][container["args"].index(flag) + 1]


def apply_example(cluster, name):
    created = []
    with open(os.path.join(EXAMPLES, name)) as f:
        for doc in f.read().split("\n---\n"):
            kind = re.search(r"^kind: (\w+)", doc, re.M).group(1)
            created.append(cluster.create(RESOURCE_PATHS[kind].format(ns=NS), doc))
    return created


def pods_with_label(cluster, selector, count):
    def ready():
        items = cluster.get(f"{PODS}?labelSelector={selector}")["items"]
        return items if len(items) >= count else None
    return wait_for(ready, 90, f"{count} Pods with {selector}")


def check_golden(name, actual):
    path = os.path.join(GOLDEN, f"{name}.json")
    text = json.dumps(actual, indent=2, sort_keys=True) + "\n"
    if os.environ.get("WAF_UPDATE_GOLDEN"):
        with open(path, "w") as f:
            f.write(text)
    with open(path) as f:
        assert json.load(f) == actual, f"{name}: the injected containers differ from {path}"


@pytest.fixture(scope="module")
def env(tmp_path_factory, waf_bin):
    require_tool("openssl")
    e = Env(str(tmp_path_factory.mktemp("k8s")), waf_bin)
    yield e
    e.stop()


def test_labelled_deployment_pods_get_exactly_the_golden_sidecar(env):
    apply_example(env.cluster, "deployment.yaml")
    pods = pods_with_label(env.cluster, "app=web", 2)
    for p in pods:
        assert injected(p)
        assert [c["name"] for c in p["spec"]["initContainers"]] == ["waf-init-iptables", "waf-proxy"]
        assert [c["name"] for c in p["spec"]["containers"]] == ["web"]
    check_golden("deployment-web", waf_containers(pods[0]))
    assert waf_containers(pods[0]) == waf_containers(pods[1])


def test_unlabelled_pods_are_untouched(env):
    p = env.cluster.create(PODS, pod("plain", labels={"app": "plain"}))
    assert "initContainers" not in p["spec"]
    assert [c["name"] for c in p["spec"]["containers"]] == ["app"]
    assert PREFIX + "status" not in p["metadata"].get("annotations", {})
    disabled = env.cluster.create(PODS, pod("disabled", labels={"waf-sidecar": "disabled"}))
    assert waf_containers(disabled) == []


def test_excluded_namespace_is_untouched(env):
    p = env.cluster.create("/api/v1/namespaces/waf/pods", pod("in-waf-namespace"))
    assert waf_containers(p) == []


def test_every_annotation_changes_what_it_should(env):
    with open(os.path.join(TESTDATA, "all_annotations.review.json")) as f:
        review_pod = json.load(f)["request"]["object"]
    review_pod["metadata"] = {"name": "annotated", "labels": review_pod["metadata"]["labels"],
                              "annotations": review_pod["metadata"]["annotations"]}
    p = env.cluster.create(PODS, review_pod)
    init, proxy = p["spec"]["initContainers"][0], proxy_of(p)
    assert arg(init, "--application-ports") == "8080,9090"
    assert arg(init, "--exclude-ports") == "15020"
    assert arg(proxy, "--mode") == "block"
    assert arg(proxy, "--log-level") == "debug"
    assert proxy["resources"] == {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "512Mi"}}
    assert {"name": "waf-policy", "configMap": {"name": "shop-waf-policy", "defaultMode": 420}} in p["spec"]["volumes"]
    assert proxy["restartPolicy"] == "Always"
    legacy = env.cluster.create(PODS, pod("legacy", annotations={PREFIX + "native-sidecar": "false",
                                                                 PREFIX + "iptables-enable": "false"}))
    assert "initContainers" not in legacy["spec"]
    assert [c["name"] for c in legacy["spec"]["containers"]] == ["app", "waf-proxy"]


def test_invalid_annotation_is_refused_with_its_name(env):
    for key, value in (("mode", "blok"), ("application-port", "http"), ("proxy-memory", "lots"), ("moed", "block")):
        with pytest.raises(ApiError) as e:
            env.cluster.create(PODS, pod(f"bad-{key}", annotations={PREFIX + key: value}))
        assert e.value.code == 403
        assert PREFIX + key in e.value.body


def test_on_invalid_allow_admits_unprotected_with_a_warning(env):
    with open(env.config) as f:
        original = f.read()
    config = json.loads(original)
    config["onInvalid"] = "allow"
    reloads = env.controller.metric('waf_controller_reloads_total{kind="config",result="ok"}')
    try:
        with open(env.config, "w") as f:
            json.dump(config, f)
        wait_for(lambda: env.controller.metric('waf_controller_reloads_total{kind="config",result="ok"}') > reloads,
                 30, "the config reload")
        headers = []
        body = json.dumps(pod("allowed-invalid", annotations={PREFIX + "mode": "blok"})).encode()
        p = json.loads(env.cluster.raw("POST", PODS, body, headers_out=headers))
        assert waf_containers(p) == [] and not injected(p)
        warnings = [v for k, v in headers if k.lower() == "warning"]
        assert any(PREFIX + "mode" in w and "without the waf sidecar" in w for w in warnings), headers
    finally:
        with open(env.config, "w") as f:
            f.write(original)
        wait_for(lambda: env.controller.metric('waf_controller_reloads_total{kind="config",result="ok"}') > reloads + 1,
                 30, "the config restore")


def test_no_double_injection(env):
    first = env.cluster.create(PODS, pod("twice"))
    with pytest.raises(ApiError) as e:
        env.cluster.create(PODS, pod("twice"))
    assert e.value.code == 409
    assert [c["name"] for c in waf_containers(env.cluster.get(f"{PODS}/twice"))] == ["waf-init-iptables", "waf-proxy"]
    assert waf_containers(first) == waf_containers(env.cluster.get(f"{PODS}/twice"))
    # A Pod that already says injected (copied from an injected one) is left as it is.
    pre = env.cluster.create(PODS, pod("pre-injected", annotations={PREFIX + "status": "injected"}))
    assert waf_containers(pre) == []
    # A second webhook calling the same controller sees the injected Pod and changes nothing.
    webhook = env.cluster.get("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/waf")
    webhook["metadata"] = {"name": "waf-again"}
    webhook["webhooks"][0]["name"] = "again.sidecar.waf.io"
    env.cluster.create("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", webhook)
    try:
        calls = env.controller.metric('waf_controller_admissions_total{result="skipped"}')
        wait_for(lambda: env.dry_run_pod() and
                 env.controller.metric('waf_controller_admissions_total{result="skipped"}') > calls, 60,
                 "the second webhook to be called")
        p = env.cluster.create(PODS, pod("two-webhooks"))
        assert [c["name"] for c in waf_containers(p)] == ["waf-init-iptables", "waf-proxy"]
    finally:
        env.cluster.delete("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/waf-again")


def test_examples_without_iptables_and_job_with_native_sidecar(env):
    apply_example(env.cluster, "deployment-no-iptables.yaml")
    api = pods_with_label(env.cluster, "app=api", 1)[0]
    assert [c["name"] for c in api["spec"]["initContainers"]] == ["waf-proxy"]
    assert {"name": "proxy", "containerPort": 8000, "protocol": "TCP"} in proxy_of(api)["ports"]
    service = env.cluster.get(f"/api/v1/namespaces/{NS}/services/api")
    assert service["spec"]["ports"][0]["targetPort"] == "proxy"
    apply_example(env.cluster, "job-native-sidecar.yaml")
    job_pod = pods_with_label(env.cluster, "app=report", 1)[0]
    assert proxy_of(job_pod)["restartPolicy"] == "Always"
    assert [c["name"] for c in job_pod["spec"]["initContainers"]] == ["waf-init-iptables", "waf-proxy"]


def test_failure_policy_with_the_controller_stopped(env):
    env.controller.stop()
    try:
        with pytest.raises(ApiError) as e:
            env.cluster.create(PODS, pod("refused-while-down"))
        assert "sidecar.waf.io" in e.value.body  # the webhook's name: failed calling webhook
        env.helm_cmd("upgrade", "--reuse-values", "--set", "webhook.failurePolicy=Ignore")

        def admitted_unprotected():
            try:
                p = env.cluster.create(PODS + "?dryRun=All", pod("ignored-while-down"))
            except ApiError:
                return None
            return p
        p = wait_for(admitted_unprotected, 60, "failurePolicy Ignore to take effect")
        assert waf_containers(p) == [] and not injected(p)
        env.helm_cmd("upgrade", "--reuse-values", "--set", "webhook.failurePolicy=Fail")
        # helm upgrade reused the Secret: the certificate the controller serves is still trusted.
        assert open(env.ca, "rb").read() == base64.b64decode(
            env.cluster.get("/api/v1/namespaces/waf/secrets/waf-webhook-tls")["data"]["ca.crt"])
    finally:
        env.start_controller()
    wait_for(lambda: injected(env.dry_run_pod()), 60, "injection after the controller restarted")


def test_postanalytics_is_installed_and_upgrades_keep_its_token(env):
    deployment = env.cluster.get("/apis/apps/v1/namespaces/waf/deployments/waf-postanalytics")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][0] == "postanalytics" and "--token-file=/etc/waf/token/token" in container["args"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    service = env.cluster.get("/api/v1/namespaces/waf/services/waf-postanalytics")
    assert {p["name"]: p["port"] for p in service["spec"]["ports"]} == {"ingest": 7000, "http": 8080}
    assert json.load(open(env.config))["proxy"]["postanalytics"] == "waf-postanalytics.waf.svc:7000"
    assert len(base64.b64decode(env.postanalytics_token)) == 40
    env.helm_cmd("upgrade", "--reuse-values")  # a fresh render would draw a new token: lookup keeps it
    token = env.cluster.get("/api/v1/namespaces/waf/secrets/waf-postanalytics-token")["data"]["token"]
    assert token == env.postanalytics_token


def test_certificate_rotation_keeps_answers_coming(env):
    rotated = make_cert(env.tmp, "rotated", ips=("127.0.0.1",))
    # As cert-manager does: first trust both CAs, then swap the serving certificate.
    path = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/waf"
    webhook = env.cluster.get(path)
    bundle = open(env.ca, "rb").read() + open(rotated["ca"], "rb").read()
    webhook["webhooks"][0]["clientConfig"]["caBundle"] = base64.b64encode(bundle).decode()
    env.cluster.raw("PUT", path, json.dumps(webhook).encode())
    reloads = env.controller.metric('waf_controller_reloads_total{kind="certificate",result="ok"}')
    for src, dst in ((rotated["key"], env.key), (rotated["cert"], env.cert)):
        shutil.copy(src, dst + ".new")
        os.replace(dst + ".new", dst)
    wait_for(lambda: env.controller.metric('waf_controller_reloads_total{kind="certificate",result="ok"}') > reloads,
             30, "the certificate reload")
    for i in range(5):
        assert injected(env.cluster.create(PODS, pod(f"after-rotation-{i}")))
    assert env.controller.proc.poll() is None
