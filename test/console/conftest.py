"""Fixtures of the console's browser test: the tools it needs and the waf binary.

Like test/e2e, it skips with the reason when Chromium, node or playwright-core is missing (on a
laptop); under WAF_E2E_REQUIRED=1 (CI) a missing tool is a failure.
"""
import os
import shutil

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CHROMIUM = "/usr/bin/chromium"


def require(condition, reason):
    if condition:
        return
    if os.environ.get("WAF_E2E_REQUIRED") == "1":
        pytest.fail(f"WAF_E2E_REQUIRED=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node_bin():
    node = shutil.which("node")
    require(node is not None, "'node' is not installed")
    return node


@pytest.fixture(scope="session")
def browser_tools(node_bin):
    """(node, chromium): node with test/console's playwright-core, and Debian's chromium."""
    node = node_bin
    require(os.path.exists(CHROMIUM), f"Debian's chromium is not installed at {CHROMIUM} (scripts/deps.sh test)")
    require(os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")),
            "playwright-core is not installed in test/console (scripts/deps.sh test runs npm ci there)")
    return node, CHROMIUM


@pytest.fixture(scope="session")
def waf_bin():
    path = os.path.abspath(os.environ.get("WAF_BIN") or os.path.join(REPO, "build/release/waf"))
    require(os.path.exists(path), f"the waf binary is not built at {path} (run 'make build')")
    return path
