"""`waf init-iptables` in real network namespaces (ip netns + veth, no podman).

The unit goldens' "exclusions" case (test/unit/iptables/testdata/exclusions.rules) is applied in a
"pod" namespace; a "client" namespace reaches it over a veth pair, as traffic from another Pod
would. Like Istio's run_linux_test.go: the same plan, applied for real, idempotent, and cleaned up
without residue.
"""
import json
import os
import re
import select
import subprocess
import sys
import uuid

import pytest

from conftest import require_root, require_tool

PROXY_PORT = 8000
ADMIN_PORT = 9901
APP_PORTS = (8080, 8443)
EXCLUDED_APP_PORT = 9090  # an application port the exclude-inbound-ports annotation keeps out
# Exactly the options of the "exclusions" golden case in test/unit/iptables/rule_plan_test.cpp.
INIT_ARGS = [
    "--proxy-port", str(PROXY_PORT), "--admin-port", str(ADMIN_PORT),
    "--application-ports", "8080,8443,9090", "--exclude-ports", "9090,22",
]
GOLDEN = os.path.join(os.path.dirname(__file__), "../unit/iptables/testdata/exclusions.rules")

# Addresses live only inside the namespaces this test creates (TEST-NET-1 and a ULA prefix).
POD_V4, CLIENT_V4 = "192.0.2.2", "192.0.2.1"
POD_V6, CLIENT_V6 = "fd57:af00::2", "fd57:af00::1"

# Runs in the pod namespace: one listener per port and family, each answering with its name and
# the connection's original destination port (SO_ORIGINAL_DST, as the proxy learns it), so a
# redirected connection says "proxy 8080" and a direct one "app-9090 9090". Bounded lifetime.
SERVER = r"""
import selectors, socket, struct, sys, time
SO_ORIGINAL_DST = 80
names = dict(arg.split("=") for arg in sys.argv[1:])
sel = selectors.DefaultSelector()
for port, name in names.items():
    for family, addr in ((socket.AF_INET, "0.0.0.0"), (socket.AF_INET6, "::")):
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, int(port)))
        s.listen(16)
        sel.register(s, selectors.EVENT_READ, (family, name))
print("ready", flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    for key, _ in sel.select(timeout=1):
        family, name = key.data
        conn, _ = key.fileobj.accept()
        level = socket.SOL_IP if family == socket.AF_INET else socket.IPPROTO_IPV6
        try:
            orig = struct.unpack("!H", conn.getsockopt(level, SO_ORIGINAL_DST, 28)[2:4])[0]
        except OSError:  # no conntrack entry: nothing in the netns uses NAT, so nothing was rewritten
            orig = conn.getsockname()[1]
        conn.sendall(f"{name} {orig}\n".encode())
        conn.close()
"""

CLIENT = r"""
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as s:
    print(s.makefile().readline().strip())
"""


def sh(*args, check=True, **kwargs):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, timeout=30, **kwargs)


class Netns:
    """A pod and a client namespace joined by a veth pair, removed in the finalizer."""

    def __init__(self):
        tag = uuid.uuid4().hex[:6]
        self.pod, self.client = f"wafpod-{tag}", f"wafcli-{tag}"
        self.veth_pod, self.veth_client = f"wp{tag}", f"wc{tag}"
        self.server = None

    def create(self):
        sh("ip", "netns", "add", self.pod)
        sh("ip", "netns", "add", self.client)
        sh("ip", "link", "add", self.veth_pod, "netns", self.pod, "type", "veth",
           "peer", "name", self.veth_client, "netns", self.client)
        for ns, dev, v4, v6 in ((self.pod, self.veth_pod, POD_V4, POD_V6),
                                (self.client, self.veth_client, CLIENT_V4, CLIENT_V6)):
            self.run(ns, "ip", "link", "set", "lo", "up")
            self.run(ns, "ip", "addr", "add", f"{v4}/24", "dev", dev)
            self.run(ns, "ip", "-6", "addr", "add", f"{v6}/64", "dev", dev, "nodad")
            self.run(ns, "ip", "link", "set", dev, "up")

    def destroy(self):
        if self.server is not None:
            self.server.kill()
            self.server.wait(timeout=10)
        for ns in (self.pod, self.client):
            sh("ip", "netns", "del", ns, check=False)

    def run(self, ns, *args, check=True):
        return sh("ip", "netns", "exec", ns, *args, check=check)

    def start_server(self, names):
        self.server = subprocess.Popen(
            ["ip", "netns", "exec", self.pod, sys.executable, "-c", SERVER]
            + [f"{port}={name}" for port, name in names.items()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.server.stdout], [], [], 10)
        assert ready and self.server.stdout.readline().strip() == "ready", self.server.stderr.read()

    def connect(self, ns, host, port):
        """The first line the listener behind host:port answers, seen from namespace ns."""
        return self.run(ns, sys.executable, "-c", CLIENT, host, str(port)).stdout.strip()


def nat_rules(netns, program):
    """{chain: [rule, ...]} of the pod's nat table, without counters and comments."""
    chains = {}
    for line in netns.run(netns.pod, program, "-t", "nat").stdout.splitlines():
        if line.startswith(":"):
            chains.setdefault(line[1:].split()[0], [])
        elif line.startswith("-A "):
            chain, rule = line[3:].split(" ", 1)
            chains.setdefault(chain, []).append(rule)
    return chains


def golden_rules():
    """{family: {chain: [rule, ...]}} as the golden restore text creates them on an empty table."""
    families, current = {}, None
    with open(GOLDEN) as f:
        for line in f.read().splitlines():
            if m := re.match(r"# (ipv4|ipv6):", line):
                current = families.setdefault(m.group(1), {"PREROUTING": []})
            elif line.startswith(":"):
                current.setdefault(line[1:].split()[0], [])
            elif line.startswith("-A "):
                chain, rule = line[3:].split(" ", 1)
                current.setdefault(chain, []).append(rule)
    return families


def with_builtins(chains):
    return {name: chains.get(name, []) for name in ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING")} | chains


@pytest.fixture
def netns():
    require_root()
    for tool in ("ip", "iptables", "ip6tables", "iptables-save", "ip6tables-save", "setpriv"):
        require_tool(tool)
    ns = Netns()
    try:
        ns.create()
        yield ns
    finally:
        ns.destroy()


def init(waf_bin, netns, *extra, check=True):
    result = netns.run(netns.pod, waf_bin, "init-iptables", *INIT_ARGS, *extra, check=False)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("backend", ["nft", "legacy"])
def test_capture_redirects_app_ports_idempotently_and_cleans_up(waf_bin, netns, backend):
    v4, v6 = f"iptables-{backend}", f"ip6tables-{backend}"
    saves = {"ipv4": f"{v4}-save", "ipv6": f"{v6}-save"}
    for tool in (v4, v6, *saves.values()):
        require_tool(tool)
    # A rule someone else owns (a CNI's) must survive both our apply and our cleanup. It is also
    # what tells auto-detection which back end this "node" uses.
    for program in (v4, v6):
        netns.run(netns.pod, program, "-t", "nat", "-A", "PREROUTING", "-p", "udp", "--dport", "5353", "-j", "RETURN")
    before = {family: nat_rules(netns, program) for family, program in saves.items()}

    init(waf_bin, netns)
    golden = golden_rules()
    applied = {family: nat_rules(netns, program) for family, program in saves.items()}
    for family in saves:
        expected = with_builtins(before[family]) | {
            "PREROUTING": before[family]["PREROUTING"] + golden[family]["PREROUTING"],
            "WAF_INBOUND": golden[family]["WAF_INBOUND"],
        }
        assert with_builtins(applied[family]) == expected, family

    second = init(waf_bin, netns)
    assert {family: nat_rules(netns, program) for family, program in saves.items()} == applied
    events = [json.loads(line) for line in second.stderr.splitlines()]
    assert [(e["event"], e["family"], e["backend"], e["changed"]) for e in events] == [
        ("capture_applied", "ipv4", backend, False), ("capture_applied", "ipv6", backend, False)], second.stderr

    names = {PROXY_PORT: "proxy", ADMIN_PORT: "admin", EXCLUDED_APP_PORT: "app-9090"}
    names |= {port: f"app-{port}" for port in APP_PORTS}
    netns.start_server(names)
    for host in (POD_V4, POD_V6):
        for port in APP_PORTS:
            assert netns.connect(netns.client, host, port) == f"proxy {port}", (host, port)
        assert netns.connect(netns.client, host, EXCLUDED_APP_PORT) == "app-9090 9090", host
        assert netns.connect(netns.client, host, ADMIN_PORT) == "admin 9901", host
        assert netns.connect(netns.client, host, PROXY_PORT) == "proxy 8000", host
    # The proxy forwarding to the app inside the Pod (over lo) is not captured again: no loop.
    assert netns.connect(netns.pod, "127.0.0.1", APP_PORTS[0]) == "app-8080 8080"
    assert netns.connect(netns.pod, POD_V4, APP_PORTS[0]) == "app-8080 8080"
    assert netns.connect(netns.pod, "::1", APP_PORTS[0]) == "app-8080 8080"

    # Cleanup needs only the chain's name, not the ports; a second one finds nothing and succeeds.
    for _ in range(2):
        result = netns.run(netns.pod, waf_bin, "init-iptables", "--cleanup", check=False)
        assert result.returncode == 0, result.stderr
        assert {family: nat_rules(netns, program) for family, program in saves.items()} == before
    assert netns.connect(netns.client, POD_V4, APP_PORTS[0]) == "app-8080 8080"


def test_dry_run_prints_the_golden_plan_and_changes_nothing(waf_bin, netns):
    before = nat_rules(netns, "iptables-save")
    result = init(waf_bin, netns, "--dry-run", "--ipv6", "on")
    with open(GOLDEN) as f:
        assert result.stdout == f.read()
    cleanup = init(waf_bin, netns, "--dry-run", "--cleanup", "--ipv6", "on")
    with open(os.path.join(os.path.dirname(GOLDEN), "cleanup.rules")) as f:
        assert cleanup.stdout == f.read()
    assert nat_rules(netns, "iptables-save") == before


def test_without_net_admin_fails_clearly_and_adds_nothing(waf_bin, netns):
    before = nat_rules(netns, "iptables-save")
    result = netns.run(netns.pod, "setpriv", "--bounding-set", "-net_admin", "--inh-caps", "-net_admin", "--",
                       waf_bin, "init-iptables", *INIT_ARGS, check=False)
    assert result.returncode != 0
    assert "NET_ADMIN" in result.stderr and "unprotected" in result.stderr, result.stderr
    assert nat_rules(netns, "iptables-save") == before


def test_invalid_options_exit_2_with_one_line(waf_bin):
    result = sh(waf_bin, "init-iptables", "--proxy-port", "8080", "--application-ports", "8080", check=False)
    assert result.returncode == 2
    assert result.stderr == ("waf init-iptables: --application-ports: 8080 is the proxy port; "
                             "redirecting it would loop\n")
