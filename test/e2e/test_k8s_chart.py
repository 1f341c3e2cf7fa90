"""The Helm chart: lint, render every CI scenario, schema rejections, documented values, and the
rendered controller config agreeing with the binary's built-in defaults."""
import base64
import json
import os
import re
import subprocess
import threading

import pytest

from conftest import require_tool
from k8s.controller import Controller, decoded_patch, make_cert
from k8s.tools import ROOT, k8s_tool
from k8s.values_doc import values_with_docs

CHART = os.path.join(ROOT, "chart")
GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "k8s", "golden")
CI_VALUES = sorted(f for f in os.listdir(os.path.join(CHART, "ci")) if f.endswith("-values.yaml"))


@pytest.fixture(scope="module")
def helm():
    return k8s_tool("helm")


def template(helm, *args, check=True):
    return subprocess.run([helm, "template", "waf", CHART, "-n", "waf", "--kube-version", "1.30.0", *args],
                          capture_output=True, text=True, check=check, timeout=60)


def documents(rendered):
    return [d for d in rendered.split("\n---\n") if "kind:" in d]


def test_helm_lint_is_clean(helm):
    out = subprocess.run([helm, "lint", "--strict", CHART], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[WARNING]" not in out.stdout and "[ERROR]" not in out.stdout


@pytest.mark.parametrize("values", ["default"] + CI_VALUES)
def test_every_ci_scenario_renders_its_snapshot(helm, values):
    args = [] if values == "default" else ["-f", os.path.join(CHART, "ci", values)]
    out = template(helm, *args).stdout
    kinds = re.findall(r"^kind: (\w+)", out, re.M)
    assert "MutatingWebhookConfiguration" in kinds and "Deployment" in kinds
    # Generated keys and certificates differ on every render; everything else must not drift.
    out = re.sub(r"^(\s*(?:ca\.crt|tls\.crt|tls\.key|caBundle|token)): \S+$", r"\1: <generated>", out, flags=re.M)
    name = values.replace("-values.yaml", "")
    path = os.path.join(GOLDEN, f"chart-{name}.yaml")
    if os.environ.get("WAF_UPDATE_GOLDEN"):
        with open(path, "w") as f:
            f.write(out)
    with open(path) as f:
        assert f.read() == out, f"helm template output differs from {path} (WAF_UPDATE_GOLDEN=1 rewrites it)"


@pytest.mark.parametrize("setting,path", [
    ("mode=blok", "/mode"),
    ("proxy.port=70000", "/proxy/port"),
    ("typo=1", "additional properties 'typo'"),
    ("webhook.failurePolicy=Never", "/webhook/failurePolicy"),
    ("webhook.timeoutSeconds=60", "/webhook/timeoutSeconds"),
    ("proxy.resources.limits.memory=lots", "/proxy/resources/limits/memory"),
    ("image.digest=abc", "/image/digest"),
    ("annotationPrefix=no-slash", "/annotationPrefix"),
    ("controller.nodeSelecter.a=b", "nodeSelecter"),
    ("postanalytics.redis.url=http://redis:6379", "/postanalytics/redis/url"),
    ("postanalytics.export.syslog=syslog.example:514", "/postanalytics/export/syslog"),
    ("postanalytics.behaviour.greyTtl=soon", "/postanalytics/behaviour/greyTtl"),
    ("postanalytics.memory=lots", "/postanalytics/memory"),
])
def test_schema_rejects_bad_values(helm, setting, path):
    out = template(helm, "--set", setting, check=False)
    assert out.returncode != 0
    assert path in out.stderr


def test_defaults_render_the_webhook_contract(helm):
    out = template(helm).stdout
    webhook = next(d for d in documents(out) if "kind: MutatingWebhookConfiguration" in d)
    for expected in ("failurePolicy: Fail", "timeoutSeconds: 5", "reinvocationPolicy: IfNeeded", "sideEffects: None",
                     "waf-sidecar: enabled", "- kube-system", "- waf", "operations: [CREATE]"):
        assert expected in webhook
    # The chart-generated certificate: the Secret's CA is the webhook's caBundle and signs the cert.
    secret = next(d for d in documents(out) if "kind: Secret" in d and "ca.crt" in d)
    ca = re.search(r"ca\.crt: (\S+)", secret).group(1)
    assert re.search(r"caBundle: (\S+)", webhook).group(1) == ca
    assert "runAsNonRoot: true" in next(d for d in documents(out) if "kind: Deployment" in d)


def test_generated_certificate_is_valid_for_the_service(helm, tmp_path):
    require_tool("openssl")
    out = template(helm, "--set", "webhook.tls.ipAddresses={127.0.0.1}").stdout
    secret = next(d for d in documents(out) if "kind: Secret" in d and "ca.crt" in d)
    for key in ("ca.crt", "tls.crt"):
        (tmp_path / key).write_bytes(base64.b64decode(re.search(rf"{re.escape(key)}: (\S+)", secret).group(1)))
    verify = subprocess.run(["openssl", "verify", "-CAfile", str(tmp_path / "ca.crt"), str(tmp_path / "tls.crt")],
                            capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    text = subprocess.run(["openssl", "x509", "-noout", "-text", "-in", str(tmp_path / "tls.crt")],
                          capture_output=True, text=True, check=True).stdout
    assert "DNS:waf-controller.waf.svc" in text and "IP Address:127.0.0.1" in text


def rendered_config(helm, *args):
    out = template(helm, *args).stdout
    configmap = next(d for d in documents(out) if "kind: ConfigMap" in d and "config.json" in d)
    body = configmap.split("config.json: |\n", 1)[1]
    return json.loads("\n".join(line[4:] for line in body.splitlines()))


def test_rendered_config_equals_the_binary_defaults(helm, waf_bin, tmp_path):
    require_tool("openssl")
    certs = make_cert(str(tmp_path), "webhook")
    config = rendered_config(helm, "--kube-version", "1.30.0")
    assert config["nativeSidecar"] is True
    assert rendered_config(helm, "--kube-version", "1.28.0")["nativeSidecar"] is False
    # The release namespace is excluded by the chart, and the sidecars report to the release's
    # postanalytics Service: the binary's defaults cannot know either.
    config["excludedNamespaces"].remove("waf")
    assert config["proxy"].pop("postanalytics") == "waf-postanalytics.waf.svc:7000"
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    review = open(os.path.join(ROOT, "test/unit/controller/testdata/all_annotations.review.json"), "rb").read()
    patches = []
    for extra in ({"config": str(path)}, {}):
        c = Controller(waf_bin, certs["cert"], certs["key"], **extra)
        try:
            patches.append(decoded_patch(c.post(certs["ca"], review)[1]))
        finally:
            c.stop()
    assert patches[0] == patches[1]
    assert patches[0]  # it did inject


@pytest.mark.parametrize("setting,message", [
    ("postanalytics.replicas=2", "needs postanalytics.redis.url"),
    ("postanalytics.replicas=2,postanalytics.redis.url=redis://r:6379,postanalytics.persistence.enabled=true",
     "needs postanalytics.replicas: 1"),
])
def test_postanalytics_refuses_replicas_it_cannot_keep_consistent(helm, setting, message):
    out = template(helm, "--set", setting, check=False)
    assert out.returncode != 0 and message in out.stderr


def test_postanalytics_reporting_follows_the_release(helm):
    assert rendered_config(helm, "--set", "postanalytics.enabled=false")["proxy"]["postanalytics"] == ""
    assert rendered_config(helm, "--set", "proxy.postanalytics=pa.example:7000")["proxy"]["postanalytics"] == "pa.example:7000"


def postanalytics_args(helm, *args):
    out = template(helm, *args).stdout
    deployment = next(d for d in documents(out) if "kind: Deployment" in d and "- postanalytics" in d)
    block = deployment.split("args:\n", 1)[1]
    return [m.group(1) for m in re.finditer(r"^\s+- (--\S+|postanalytics)$", block.split("ports:", 1)[0], re.M)]


@pytest.mark.parametrize("values", ["default"] + CI_VALUES)
def test_the_binary_accepts_the_postanalytics_flags_the_chart_renders(helm, waf_bin, tmp_path, values):
    """Every flag the chart passes exists and parses: the rendered command line starts postanalytics."""
    extra = [] if values == "default" else ["-f", os.path.join(CHART, "ci", values)]
    args = postanalytics_args(helm, *extra)
    if not args:
        pytest.skip(f"{values} disables postanalytics")
    assert args[0] == "postanalytics"
    (tmp_path / "token").write_text("t0ken\n")
    rewrites = {"--listen": "127.0.0.1:0", "--http-listen": "127.0.0.1:0", "--token-file": str(tmp_path / "token"),
                "--data-dir": str(tmp_path / "data"), "--redis": "redis://127.0.0.1:1",
                "--export-webhook": "http://127.0.0.1:1/events", "--export-syslog": "udp://127.0.0.1:1"}
    argv = [waf_bin, args[0]]
    for arg in args[1:]:
        name, _, value = arg.partition("=")
        argv.append(f"{name}={rewrites[name]}" if name in rewrites else arg)
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    watchdog = threading.Timer(20, proc.kill)  # a silent hang ends the read loop below as a failure
    watchdog.start()
    try:
        seen = []
        for line in proc.stderr:
            seen.append(line)
            if '"listener":"http"' in line:
                break
        assert any('"listener":"http"' in line for line in seen), "".join(seen)
    finally:
        watchdog.cancel()
        proc.kill()
        proc.wait(timeout=10)


def test_every_value_is_documented_in_the_readme():
    readme = open(os.path.join(CHART, "README.md")).read()
    missing = [key for key, _, doc in values_with_docs(os.path.join(CHART, "values.yaml"))
               if f"| `{key}` |" not in readme or not doc]
    assert missing == []
