"""`waf init-iptables` from a root file system holding only what a FROM-scratch image would.

init-iptables runs the iptables programs, so the image must carry them. This test assembles the
smallest root that works (the static waf, xtables-{nft,legacy}-multi with their libraries and the
three xtables extensions our rules use) and applies the golden plan from it, chrooted, in a fresh
network namespace, for both back ends, also with the root mounted read-only as the controller's
readOnlyRootFilesystem does. rootfs_files() and MULTI_BINARIES are what packaging/ needs to copy.
"""
import glob
import os
import shutil
import subprocess

import pytest

from conftest import require_root, require_tool
from test_init_iptables_netns import INIT_ARGS, Netns, golden_rules, nat_rules, with_builtins

MULTI_BINARIES = {
    "xtables-nft-multi": ("iptables-nft-save", "iptables-nft-restore", "ip6tables-nft-save", "ip6tables-nft-restore"),
    "xtables-legacy-multi": ("iptables-legacy-save", "iptables-legacy-restore",
                             "ip6tables-legacy-save", "ip6tables-legacy-restore"),
}
# -m tcp --dport, -j RETURN (standard), -j REDIRECT: loaded with dlopen, invisible to ldd.
EXTENSIONS = ("libxt_tcp.so", "libxt_standard.so", "libxt_REDIRECT.so")


def copy_into(root, path):
    dest = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copy2(os.path.realpath(path), dest)


def rootfs_files():
    """The host files an init container image needs, besides the static waf binary."""
    programs = [shutil.which(name) for name in MULTI_BINARIES]
    libs = set()
    for program in programs:
        for line in subprocess.run(["ldd", program], capture_output=True, text=True, check=True).stdout.splitlines():
            parts = line.split()
            if "=>" in parts and parts[parts.index("=>") + 1].startswith("/"):
                libs.add(parts[parts.index("=>") + 1])
            elif parts and parts[0].startswith("/"):
                libs.add(parts[0])  # the dynamic loader
    xtables_dirs = glob.glob("/usr/lib/*/xtables") + glob.glob("/usr/lib/xtables")
    assert xtables_dirs, "no xtables extension directory"
    extensions = [os.path.join(xtables_dirs[0], name) for name in EXTENSIONS]
    return programs, sorted(libs), extensions


def build_rootfs(root, waf_bin):
    programs, libs, extensions = rootfs_files()
    shutil.copy2(waf_bin, os.path.join(root, "waf"))
    for path in programs + libs + extensions:
        copy_into(root, path)
    for multi, names in MULTI_BINARIES.items():
        sbin = os.path.join(root, os.path.dirname(shutil.which(multi)).lstrip("/"))
        for name in names:
            os.symlink(multi, os.path.join(sbin, name))
    for mount_point in ("proc", "dev/shm"):  # the container runtime mounts these
        os.makedirs(os.path.join(root, mount_point))


@pytest.fixture
def pod(tmp_path, waf_bin):
    require_root()
    for tool in ("ip", "ldd", "unshare", "chroot", *MULTI_BINARIES):
        require_tool(tool)
    root = str(tmp_path / "rootfs")
    os.makedirs(root)
    build_rootfs(root, waf_bin)
    ns = Netns()
    try:
        ns.create()
        yield ns, root
    finally:
        ns.destroy()


def init_chrooted(ns, root, read_only, *extra):
    # /proc and /dev/shm as a container runtime mounts them: our NET_ADMIN and IPv6 probes read
    # /proc, and with a read-only root the legacy back end's lock file goes to /dev/shm.
    script = f'mount -t proc proc "{root}/proc" && mount -t tmpfs tmpfs "{root}/dev/shm" && '
    if read_only:
        script = f'mount --bind "{root}" "{root}" && mount -o remount,bind,ro "{root}" && ' + script
    script += f'exec chroot "{root}" /waf init-iptables "$@"'
    result = ns.run(ns.pod, "unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
                    *INIT_ARGS, *extra, check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.parametrize("backend,read_only", [("nft", False), ("legacy", False), ("nft", True), ("legacy", True)])
def test_scratch_rootfs_applies_the_golden_plan_and_cleans_up(pod, backend, read_only):
    ns, root = pod
    saves = {"ipv4": f"iptables-{backend}-save", "ipv6": f"ip6tables-{backend}-save"}
    init_chrooted(ns, root, read_only, "--backend", backend)
    golden = golden_rules()
    for family, program in saves.items():
        assert with_builtins(nat_rules(ns, program)) == with_builtins(golden[family]), family

    init_chrooted(ns, root, read_only, "--backend", backend)  # idempotent from the image too
    for family, program in saves.items():
        assert with_builtins(nat_rules(ns, program)) == with_builtins(golden[family]), family

    init_chrooted(ns, root, read_only, "--backend", backend, "--cleanup")
    for program in saves.values():
        assert with_builtins(nat_rules(ns, program)) == with_builtins({}), program
