"""`waf controller` over real TLS: AdmissionReviews posted the way the API server posts them.

The injection itself is golden-tested in test/unit/controller; this proves the shell around it:
TLS 1.2+, keep-alive, body limits, well-formed errors, metrics, certificate and config reload.
"""
import json
import os
import shutil
import socket
import ssl
import subprocess
import time

import pytest

from conftest import require_tool
from k8s.controller import Controller, decoded_patch, make_cert

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "../unit/controller/testdata")


def read(name):
    with open(os.path.join(TESTDATA, name), "rb") as f:
        return f.read()


def wait_until(condition, timeout=15, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def certs(tmp_path):
    require_tool("openssl")
    return make_cert(str(tmp_path), "webhook")


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"proxy": {"image": "registry.example/waf:test"}}))
    return str(path)


@pytest.fixture
def controller(waf_bin, certs, config_file):
    c = Controller(waf_bin, certs["cert"], certs["key"], config=config_file)
    yield c
    c.stop()


def test_patch_over_tls_equals_the_golden(controller, certs):
    golden = json.loads(read("default_labelled.response.json"))
    status, review = controller.post(certs["ca"], read("default_labelled.review.json"))
    assert status == 200
    assert review["apiVersion"] == "admission.k8s.io/v1" and review["kind"] == "AdmissionReview"
    assert review["response"]["uid"] == "uid-default_labelled"
    assert review["response"]["allowed"] is True
    assert review["response"]["patchType"] == "JSONPatch"
    assert decoded_patch(review) == golden["patch"]
    assert controller.metric('waf_controller_admissions_total{result="injected"}') == 1


def test_keep_alive_connection_answers_many_reviews(controller, certs):
    conn = controller.connect(certs["ca"])
    try:
        for name in ("unlabelled", "invalid_mode_denied", "default_labelled"):
            status, review = controller.post(certs["ca"], read(f"{name}.review.json"), conn=conn)
            assert status == 200
            assert review["response"]["uid"] == f"uid-{name}"
    finally:
        conn.close()
    assert controller.metric('waf_controller_admissions_total{result="skipped"}') == 1
    assert controller.metric('waf_controller_admissions_total{result="denied"}') == 1
    assert controller.metric("waf_controller_admission_duration_seconds_count") == 3


def test_malformed_and_oversized_bodies_get_well_formed_errors(controller, certs):
    status, review = controller.post(certs["ca"], read("malformed_spec.review.json"))
    assert status == 200
    assert review["response"] == {"uid": "uid-malformed", "allowed": False,
                                  "status": {"code": 400, "reason": "BadRequest",
                                             "message": "object.spec.containers.ports[].containerPort is not an integer"}}
    status, review = controller.post(certs["ca"], b"\x00not json")
    assert review["response"]["status"]["code"] == 400
    # Oversized: refused from the head alone, before the body is read.
    context = ssl.create_default_context(cafile=certs["ca"])
    with socket.create_connection(("127.0.0.1", controller.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            tls.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 4194304\r\n\r\n{")
            answer = b""
            while b"}}}" not in answer:
                chunk = tls.recv(4096)
                if not chunk:
                    break
                answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 413 ")
    review = json.loads(body)
    assert review["kind"] == "AdmissionReview" and review["response"]["status"]["code"] == 413
    # The controller is still serving after all that.
    status, review = controller.post(certs["ca"], read("unlabelled.review.json"))
    assert review["response"]["allowed"] is True
    assert controller.metric('waf_controller_admissions_total{result="error"}') == 3


def test_only_tls_1_2_and_later(controller, certs):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(certs["ca"])
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", controller.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            assert tls.version() == "TLSv1.2"
    plain = socket.create_connection(("127.0.0.1", controller.port), timeout=10)
    plain.sendall(b"POST /mutate HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
    assert not plain.recv(100).startswith(b"HTTP/1.1 200")  # plain HTTP never gets an answer
    plain.close()


def test_admin_port_health_and_metrics(controller):
    assert controller.admin("/healthz") == (200, "ok\n")
    assert controller.admin("/readyz") == (200, "ok\n")
    status, text = controller.admin("/metrics")
    assert status == 200
    assert "# TYPE waf_controller_admission_duration_seconds histogram" in text


def presented_certificate(port):
    # The raw certificate the server presents, without verifying it (the CA changes in rotation).
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def test_certificate_rotation_without_restart(controller, certs, tmp_path):
    before = presented_certificate(controller.port)
    rotated = make_cert(str(tmp_path), "rotated")
    # As the kubelet does for a Secret volume: new files appear at the same paths.
    shutil.copy(rotated["key"], certs["key"] + ".new")
    shutil.copy(rotated["cert"], certs["cert"] + ".new")
    os.replace(certs["key"] + ".new", certs["key"])
    os.replace(certs["cert"] + ".new", certs["cert"])
    wait_until(lambda: presented_certificate(controller.port) != before, what="the rotated certificate")
    status, review = controller.post(rotated["ca"], read("unlabelled.review.json"))
    assert status == 200 and review["response"]["allowed"] is True
    assert controller.proc.poll() is None
    assert controller.metric('waf_controller_reloads_total{kind="certificate",result="ok"}') >= 1


def test_half_written_key_keeps_the_old_certificate(controller, certs):
    with open(certs["key"], "w") as f:
        f.write("-----BEGIN PRIVATE KEY-----\ntruncated\n")
    wait_until(lambda: (controller.metric('waf_controller_reloads_total{kind="certificate",result="failed"}') or 0) >= 1,
               what="the failed reload")
    status, review = controller.post(certs["ca"], read("unlabelled.review.json"))
    assert status == 200 and review["response"]["allowed"] is True


def test_config_reload_changes_the_next_patch(controller, certs, config_file):
    with open(config_file, "w") as f:
        json.dump({"mode": "block", "proxy": {"image": "registry.example/waf:test"}}, f)
    wait_until(lambda: controller.metric('waf_controller_reloads_total{kind="config",result="ok"}') == 1,
               what="the config reload")
    _, review = controller.post(certs["ca"], read("default_labelled.review.json"))
    proxy = decoded_patch(review)[1]["value"][1]
    assert proxy["name"] == "waf-proxy"
    assert proxy["args"][proxy["args"].index("--mode") + 1] == "block"
    # A broken config is refused and the last good one stays.
    with open(config_file, "w") as f:
        f.write('{"mode": "blok"}')
    wait_until(lambda: controller.metric('waf_controller_reloads_total{kind="config",result="failed"}') == 1,
               what="the refused config")
    _, review = controller.post(certs["ca"], read("default_labelled.review.json"))
    proxy = decoded_patch(review)[1]["value"][1]
    assert proxy["args"][proxy["args"].index("--mode") + 1] == "block"


def test_built_in_defaults_without_config(waf_bin, certs):
    c = Controller(waf_bin, certs["cert"], certs["key"])
    try:
        _, review = c.post(certs["ca"], read("default_labelled.review.json"))
        proxy = decoded_patch(review)[1]["value"][1]
        assert proxy["image"].startswith("ghcr.io/waf-project/waf:")
        assert proxy["args"][proxy["args"].index("--mode") + 1] == "monitoring"
    finally:
        assert c.stop() == 0


@pytest.mark.parametrize("args,names", [
    (["--listen", "nowhere"], "--listen"),
    (["--tls-cert", "/nonexistent.crt", "--tls-key", "/nonexistent.key"], "--tls-cert"),
    (["--reload-interval", "soon"], "--reload-interval"),
])
def test_bad_options_exit_2_naming_the_option(waf_bin, certs, args, names):
    base = {"--tls-cert": certs["cert"], "--tls-key": certs["key"]}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    argv = [waf_bin, "controller", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0"]
    for k, v in base.items():
        argv += [k, v]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert names in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_config_file_exit_2_naming_the_key(waf_bin, certs, tmp_path):
    config = tmp_path / "bad.json"
    config.write_text('{"proxy": {"port": 70000}}')
    result = subprocess.run([waf_bin, "controller", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
                             "--tls-cert", certs["cert"], "--tls-key", certs["key"], "--config", str(config)],
                            capture_output=True, text=True, timeout=10)
    assert result.returncode == 2
    assert "proxy.port" in result.stderr
