"""The shipped static binary (WAF_STATIC_BIN): no shared libraries, runs in an empty root, resolves
names through /etc/hosts there, and dispatches roles by argv[0]."""
import os
import re
import shutil
import subprocess

import pytest

from wafproc import proxy_argv


def require_root_tool(tool):
    if os.geteuid() != 0:
        pytest.skip(f"needs root ({tool} into an empty root); run the suite as root to prove the "
                    "static binary needs no shared library")
    if shutil.which(tool) is None:
        pytest.skip(f"'{tool}' is not installed")


def test_file_says_statically_linked(waf_static_bin):
    if shutil.which("file") is None:
        pytest.skip("'file' is not installed (apt-get install file)")
    out = subprocess.run(["file", "-L", waf_static_bin], capture_output=True, text=True, check=True).stdout
    assert "statically linked" in out, out
    assert "dynamically linked" not in out, out


def test_version_prints_version_commit_arch_and_build(waf_static_bin):
    r = subprocess.run([waf_static_bin, "version"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert re.search(r"^waf \d+\.\d+\.\d+", out, re.M), out
    assert re.search(r"^commit: \S+", out, re.M), out
    assert re.search(r"^arch: (x86_64|aarch64|amd64|arm64)", out, re.M), out
    assert re.search(r"^build: \S+", out, re.M), out


@pytest.fixture
def empty_root(tmp_path, waf_static_bin):
    """A directory holding only /waf and /etc/hosts: what a FROM scratch image gives the binary."""
    require_root_tool("chroot")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    shutil.copy2(waf_static_bin, root / "waf")
    (root / "etc" / "hosts").write_text("127.0.0.1 localhost\n")
    found = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    assert found == ["etc", "etc/hosts", "waf"], found
    return root


def test_version_runs_in_an_empty_root(empty_root):
    r = subprocess.run(["chroot", str(empty_root), "/waf", "version"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("waf "), r.stdout


def test_proxy_serves_in_an_empty_root_resolving_through_etc_hosts(start_proxy, upstream, empty_root):
    argv = ["chroot", str(empty_root)] + proxy_argv("/waf", f"localhost:{upstream.port}")
    proxy = start_proxy(None, argv=argv)
    resp = proxy.get("/from-scratch")
    assert resp.status == 200
    assert resp.body == b"/from-scratch"
    assert upstream.wait_requests(1)[0].target == "/from-scratch"


def test_argv0_dispatch_through_a_waf_proxy_symlink(start_proxy, upstream, waf_static_bin, tmp_path):
    link = tmp_path / "waf-proxy"
    link.symlink_to(waf_static_bin)
    r = subprocess.run([str(link), "--help"], capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stderr
    assert "--upstream" in r.stdout
    proxy = start_proxy(None, argv=proxy_argv(None, upstream.address, program=str(link)))
    assert proxy.get("/via-symlink").body == b"/via-symlink"
