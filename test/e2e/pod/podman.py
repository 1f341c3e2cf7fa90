"""podman as the e2e tests run it (scripts/podman.sh), the image they build, and Pods run with
`podman kube play`, reached from the host by their IP only."""
import json
import os
import re
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
PODMAN = os.path.join(ROOT, "scripts/podman.sh")


def podman(*args, check=True, timeout=120):
    return subprocess.run([PODMAN, *args], check=check, capture_output=True, text=True, timeout=timeout)


def build_image(waf_bin, tag):
    out = subprocess.run([os.path.join(ROOT, "scripts/build-image.sh"), waf_bin, tag], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return tag


def wait_until(condition, timeout, what):
    """Polls condition() (bounded) until it returns something truthy, and returns that."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.1)


def json_events(text):
    """The JSON log lines of a container's output, parsed."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


class KubePod:
    """A Pod manifest run by `podman kube play`; removed by remove()."""

    def __init__(self, manifest, workdir):
        self.manifest = manifest
        self.name = manifest["metadata"]["name"]
        self.path = os.path.join(workdir, f"{self.name}.json")  # JSON is YAML
        with open(self.path, "w") as f:
            json.dump(manifest, f)

    def play(self):
        result = podman("kube", "play", self.path, check=False, timeout=180)
        assert result.returncode == 0, result.stderr

    def remove(self):
        podman("pod", "rm", "-f", "-t", "0", self.name, check=False)

    def container(self, name):
        return f"{self.name}-{name}"  # how kube play names a Pod's containers

    def logs(self, name):
        out = podman("logs", self.container(name), check=False)
        return out.stdout + out.stderr

    def events(self, name):
        return json_events(self.logs(name))

    def state(self, name):
        out = podman("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", self.container(name))
        status, code = out.stdout.split()
        return status, int(code)

    def wait_for_event(self, container, event, timeout=60, **fields):
        def found():
            for e in self.events(container):
                if e.get("event") == event and all(e.get(k) == v for k, v in fields.items()):
                    return e
            return None
        return wait_until(found, timeout, f"{container} to log {event} {fields}: {self.logs(container)}")

    def infra_pid(self):
        infra = podman("pod", "inspect", "--format", "{{.InfraContainerID}}", self.name).stdout.strip()
        return podman("inspect", "--format", "{{.State.Pid}}", infra).stdout.strip()

    def in_netns(self, *args):
        """Runs a host program inside the Pod's network namespace."""
        return subprocess.run(["nsenter", "-t", self.infra_pid(), "-n", *args], check=True, capture_output=True,
                              text=True, timeout=30)

    def ip(self):
        out = self.in_netns("ip", "-4", "-o", "addr", "show", "eth0").stdout
        m = re.search(r"inet (\d+\.\d+\.\d+\.\d+)/", out)
        assert m, out
        return m.group(1)
