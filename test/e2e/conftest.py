"""Shared helpers for end-to-end tests (kube-apiserver, podman pods, iptables in a netns).

On a laptop these tests skip with a clear reason; under WAF_E2E_REQUIRED=1 (set by .ci/run) a
missing tool or privilege is a failure, never a skip.
"""
import os
import shutil

import pytest

E2E_REQUIRED = os.environ.get("WAF_E2E_REQUIRED") == "1"


def require(condition, reason):
    """Skip (or fail under WAF_E2E_REQUIRED=1) when a prerequisite is missing."""
    if condition:
        return
    if E2E_REQUIRED:
        pytest.fail(f"WAF_E2E_REQUIRED=1 but {reason}")
    pytest.skip(reason)


def require_tool(name):
    path = shutil.which(name)
    require(path is not None, f"'{name}' is not installed")
    return path


def require_root():
    require(os.geteuid() == 0, "this test needs root (network namespaces, iptables)")


@pytest.fixture(scope="session")
def waf_bin():
    path = os.environ.get("WAF_BIN", os.path.join(os.path.dirname(__file__), "../../build/release/waf"))
    path = os.path.abspath(path)
    require(os.path.exists(path), f"the waf binary is not built at {path} (run 'make build')")
    return path
