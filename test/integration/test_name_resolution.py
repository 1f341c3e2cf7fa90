"""DNS proof for the static binary: `--upstream NAME:PORT` resolved through /etc/resolv.conf.

In a private mount namespace, /etc/resolv.conf (and nsswitch.conf, "hosts: files dns") are
bind-mounted to point at a DNS responder on 127.0.0.1:53 run by this test, which is the only place
app.waf-test.internal exists. Static glibc's getaddrinfo then has to speak DNS itself.
"""
import os
import shutil
import subprocess

import pytest

from dns_responder import TYPE_A, DnsResponder
from wafproc import proxy_argv

NAME = "app.waf-test.internal"


@pytest.fixture
def dns():
    if os.geteuid() != 0:
        pytest.skip("needs root (a private mount namespace and port 53) to prove DNS resolution")
    for tool in ("unshare", "mount"):
        if shutil.which(tool) is None:
            pytest.skip(f"'{tool}' is not installed (util-linux)")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a mount namespace here: {probe.stderr.strip()}")
    try:
        responder = DnsResponder({NAME: "127.0.0.1"})
    except OSError as e:
        pytest.skip(f"cannot bind 127.0.0.1:53 for the test DNS responder: {e}")
    yield responder
    responder.stop()


def test_static_binary_resolves_the_upstream_through_dns(start_proxy, upstream, waf_static_bin, dns, tmp_path):
    resolv = tmp_path / "resolv.conf"
    resolv.write_text("nameserver 127.0.0.1\noptions timeout:1 attempts:3\n")
    nsswitch = tmp_path / "nsswitch.conf"
    nsswitch.write_text("hosts: files dns\n")
    script = ('mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/nsswitch.conf '
              '&& shift 2 && exec "$@"')
    argv = (["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", str(resolv), str(nsswitch)]
            + proxy_argv(waf_static_bin, f"{NAME}:{upstream.port}", ["--workers", "1"]))
    proxy = start_proxy(None, argv=argv)
    resp = proxy.get("/resolved")
    assert resp.status == 200, resp.raw_head
    assert resp.body == b"/resolved"
    assert (NAME, TYPE_A) in dns.questions, f"the proxy never asked the DNS server: {dns.questions}"
