"""Finds the Kubernetes tools scripts/k8s-tools.sh builds (cached outside the repo) or on PATH."""
import os
import shutil
import subprocess

from conftest import require

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))


def tools_dir():
    out = subprocess.run([os.path.join(ROOT, "scripts/k8s-tools.sh"), "print-dir"], capture_output=True, text=True)
    return out.stdout.strip()


def k8s_tool(name):
    candidate = os.path.join(tools_dir(), name)
    path = candidate if os.access(candidate, os.X_OK) else shutil.which(name)
    require(path is not None, f"'{name}' is not built (run scripts/k8s-tools.sh)")
    return path
