"""The FROM scratch image: the static binary alone serves traffic in a container.

Builds the image with scripts/build-image.sh from the static release binary, then runs the demo
app and the proxy as two containers (host network, loopback only) and sends a request through, and
applies the capture rules from the image with each iptables back end in a container's own network
namespace (what the init container does; test_pod_kube_play.py checks the rules in a real Pod).
"""
import json
import re
import time
import urllib.request
import uuid

import pytest

from conftest import require, require_root, require_tool
from pod.podman import build_image, podman


@pytest.fixture(scope="module")
def image(waf_bin):
    require_root()
    require_tool("podman")
    require_tool("runc")
    tag = build_image(waf_bin, f"localhost/waf-test:{uuid.uuid4().hex[:8]}")
    yield tag
    podman("rmi", "-f", tag, check=False)


def wait_for_listening(container, listener, timeout=20.0):
    """Polls the container's log (bounded) for its JSON 'listening' line and returns the address."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        logs = podman("logs", container, check=False).stderr
        for line in logs.splitlines():
            if '"event":"listening"' in line:
                event = json.loads(line)
                if event.get("listener") == listener:
                    return event["address"]
        state = podman("inspect", "--format", "{{.State.Status}}", container, check=False).stdout.strip()
        require(state in ("running", "created", "configured"), f"container {container} is {state}: {logs}")
        time.sleep(0.1)
    raise AssertionError(f"{container} never logged listening for {listener}")


def test_image_is_scratch_and_runs_version(image):
    out = podman("run", "--rm", image, "version")
    assert re.search(r"^waf \d+\.\d+\.\d+", out.stdout, re.M)
    assert "arch: x86_64" in out.stdout or "arch: aarch64" in out.stdout
    history = podman("image", "inspect", "--format", "{{.Config.User}}", image).stdout.strip()
    assert history == "65532:65532"
    # Only our files: the binary, its symlinks, passwd/group, CA certificates.
    size = int(podman("image", "inspect", "--format", "{{.Size}}", image).stdout.strip())
    assert size < 40 * 1024 * 1024


@pytest.mark.parametrize("backend", ["nft", "legacy"])
def test_image_applies_capture_rules_with_each_backend(image, backend):
    # As the init container runs: root, only NET_ADMIN and NET_RAW, read-only root; --network none
    # gives the container a private network namespace, so nothing on the host changes.
    result = podman("run", "--rm", "--network", "none", "--user", "0", "--read-only", "--cap-drop", "ALL",
                    "--cap-add", "NET_ADMIN,NET_RAW", image, "init-iptables", "--application-ports", "8080",
                    "--admin-port", "9901", "--ipv6", "on", "--backend", backend, "--log-format", "json", check=False)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert [(e["event"], e["family"], e["backend"], e["changed"]) for e in events] == [
        ("capture_applied", "ipv4", backend, True), ("capture_applied", "ipv6", backend, True)], result.stderr


def test_init_iptables_without_net_admin_fails_clearly(image):
    result = podman("run", "--rm", "--network", "none", "--user", "0", "--cap-drop", "ALL", image,
                    "init-iptables", "--application-ports", "8080", "--log-format", "json", check=False)
    assert result.returncode != 0
    assert "NET_ADMIN" in result.stderr


def test_proxy_container_protects_app_container(image):
    suffix = uuid.uuid4().hex[:8]
    app, proxy = f"waf-app-{suffix}", f"waf-proxy-{suffix}"
    try:
        podman("run", "-d", "--name", app, "--network", "host", "--read-only", image,
               "demo-app", "--listen", "127.0.0.1:0", "--log-format", "json")
        app_address = wait_for_listening(app, "demo-app")
        podman("run", "-d", "--name", proxy, "--network", "host", "--read-only", "--cap-drop", "ALL", image,
               "proxy", "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--upstream", app_address,
               "--log-format", "json")
        proxy_address = wait_for_listening(proxy, "proxy")
        with urllib.request.urlopen(f"http://{proxy_address}/api/echo?q=hello", timeout=10) as r:
            assert r.status == 200
            assert len(r.headers["X-Request-Id"]) == 32
            echoed = json.loads(r.read())
        assert echoed["target"] == "/api/echo?q=hello"
        assert echoed["headers"]["X-Forwarded-For"] == "127.0.0.1"
        podman("stop", "-t", "10", proxy)
        state = podman("inspect", "--format", "{{.State.ExitCode}}", proxy).stdout.strip()
        assert state == "0", podman("logs", proxy, check=False).stderr
    finally:
        podman("rm", "-f", app, proxy, check=False)
