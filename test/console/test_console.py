"""The console in a real headless Chromium against the real `waf postanalytics`.

The server is filled through its ingest endpoint with waf.event/v1 batches (the wire format the
proxies use), then console_check.js signs in, checks the chart, tops and list against the numbers
computed here, filters, paginates, opens a detail (evidence highlight, copied exception) and checks
that an event full of XSS payloads renders as text. Screenshots go to test/artifacts/console/.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import console_data

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "test", "integration"))
from httpwire import Client  # noqa: E402
from upstream import Upstream  # noqa: E402
from wafproc import Proxy as WafProcess, proxy_argv  # noqa: E402  (a waf process and its JSON log, whatever the role)

ARTIFACTS = os.path.join(REPO, "test", "artifacts", "console")
TOKEN = "console-7f3a"
ASSETS = ("index.html", "app.js", "app.css", "api.js", "chart.js", "dom.js", "exception.js", "highlight.js")


def listening_port(proc, listener):
    ev = proc.wait_event(lambda o: o.get("event") == "listening" and o.get("listener") == listener,
                         what=f"'listening' event for the {listener} listener")
    return int(str(ev["address"]).rsplit(":", 1)[1])


def start_postanalytics(waf_bin, tmp_path, *extra):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    proc = WafProcess([waf_bin, "postanalytics", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                       "--token-file", str(token_file), *extra])
    try:
        return proc, listening_port(proc, "ingest"), listening_port(proc, "http")
    except AssertionError:
        proc.proc.kill()
        raise


def run_check(browser_tools, tmp_path, http_port, expected, artifacts):
    node, chromium = browser_tools
    shutil.rmtree(artifacts, ignore_errors=True)  # no screenshot of an earlier run left to mislead
    config = tmp_path / "console_check.json"
    config.write_text(json.dumps({"baseUrl": f"http://127.0.0.1:{http_port}", "token": TOKEN, "chromium": chromium,
                                  "artifacts": artifacts, "expected": expected}))
    result = subprocess.run([node, os.path.join(HERE, "console_check.js"), str(config)], cwd=HERE,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, f"console_check.js failed:\n{result.stderr[-4000:]}\nstdout: {result.stdout[-2000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_console_shows_filters_and_details_ingested_attacks(waf_bin, browser_tools, tmp_path):
    proc, ingest_port, http_port = start_postanalytics(waf_bin, tmp_path)
    try:
        now_ms = int(time.time() * 1000)
        events = console_data.scenario(180, now_ms, 50 * 60 * 1000)
        assert console_data.post_batches(ingest_port, events, batch_size=64) == len(events)
        seen = run_check(browser_tools, tmp_path, http_port, console_data.expected(events), ARTIFACTS)
    finally:
        proc.stop()
    assert seen["ok"] and seen["problems"] == []
    # The server's header is the same policy as index.html's meta: no inline script anywhere.
    assert seen["csp"] and "script-src 'self'" in seen["csp"] and "unsafe-inline" not in seen["csp"]
    for name in ("01-token-prompt", "02-overview", "03-filter-xss", "04-detail", "05-xss-event"):
        assert os.path.getsize(os.path.join(ARTIFACTS, f"{name}.png")) > 10_000


# Attacks sent through the proxies: (target, class the engine reports), raw as a client sends them.
PROXY_ATTACKS = [
    ("/search?q=1%27%20or%20%271%27%3D%271", "sqli"),
    ("/profile?name=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "xss"),
    ("/download?file=..%2F..%2F..%2Fetc%2Fpasswd", "path_traversal"),
    ("/ping?host=127.0.0.1%3Bcat%20%2Fetc%2Fpasswd", "command_injection"),
]


def api_get(http_port, target):
    req = urllib.request.Request(f"http://127.0.0.1:{http_port}{target}", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def test_console_over_attacks_reported_by_real_proxies(waf_bin, browser_tools, tmp_path):
    """Two `waf proxy` sidecars (two apps) report what they block; the console shows what they sent."""
    pa, ingest_port, http_port = start_postanalytics(waf_bin, tmp_path)
    up = Upstream()
    proxies = []
    try:
        for namespace, app in (("shop", "shop"), ("billing", "invoices")):
            proxies.append(WafProcess(proxy_argv(waf_bin, up.address, [
                "--mode", "block", "--postanalytics", f"127.0.0.1:{ingest_port}", "--trusted-proxies", "127.0.0.0/8"]),
                env={"WAF_POD_NAMESPACE": namespace, "WAF_POD_NAME": f"{app}-0", "WAF_APP": app}).wait_ready())
        sent = 0
        for i in range(64):
            target, _ = PROXY_ATTACKS[i % len(PROXY_ATTACKS)]
            with Client(proxies[i % 2].port) as c:
                resp = c.request("GET", target, [("X-Forwarded-For", f"203.0.113.{1 + i % 9}")])
            assert resp.status == 403, (target, resp.status)
            sent += 1
        with Client(proxies[0].port) as c:
            assert c.request("GET", PROXY_ATTACKS[0][0], [("X-Forwarded-For", console_data.DETAIL_IP)]).status == 403
        # An XSS payload in the body: the excerpt carries it raw, the console must show it as text.
        xss_body = f"comment=<img src=x onerror=window.{console_data.XSS_MARK}=4>".encode()
        with Client(proxies[1].port) as c:
            resp = c.request("POST", "/comments", [("X-Forwarded-For", console_data.XSS_IP),
                                                   ("Content-Type", "application/x-www-form-urlencoded")], xss_body)
            assert resp.status == 403
        sent += 2

        deadline = time.monotonic() + 20
        while api_get(http_port, "/api/v1/events?limit=1")["matched"] < sent:
            assert time.monotonic() < deadline, f"postanalytics did not get the {sent} events the proxies blocked"
            time.sleep(0.1)
        stats = api_get(http_port, "/api/v1/stats")
        assert sum(stats["by_action"].values()) == sent and stats["by_action"]["blocked"] == sent
        detail = api_get(http_port, f"/api/v1/events?ip={console_data.DETAIL_IP}")["events"][0]
        xss = api_get(http_port, f"/api/v1/events?ip={console_data.XSS_IP}")["events"][0]
        assert "xss" in xss["classes"] and "excerpt" in detail
        top = max(r["count"] for r in stats["top_ips"])
        expected = {
            "total": sent,
            "by_class": {c["class"]: c["count"] for c in stats["by_class"]},
            "by_action": stats["by_action"],
            "apps": len(stats["top_apps"]), "paths": len(stats["top_paths"]),
            "top_ip_count": top, "top_ips": [r["ip"] for r in stats["top_ips"] if r["count"] == top],
            "detail_ip": console_data.DETAIL_IP,
            "detail_exception": {"class": detail["findings"][0]["class"], "location": detail["findings"][0]["location"],
                                 "path": detail["path"]},
            "xss_ip": console_data.XSS_IP, "xss_mark": console_data.XSS_MARK, "xss_path": xss["path"],
            "xss_evidence": next(f["evidence"] for f in xss["findings"] if f["class"] == "xss"),
        }
        assert {c for _, c in PROXY_ATTACKS} <= set(expected["by_class"])
        seen = run_check(browser_tools, tmp_path, http_port, expected, os.path.join(ARTIFACTS, "proxies"))
    finally:
        for p in proxies:
            p.stop()
        up.stop()
        pa.stop()
    assert seen["ok"] and seen["problems"] == []


def test_console_assets_are_the_embedded_source_files(waf_bin, tmp_path):
    """What the binary serves is byte for byte what is in src/postanalytics/console, without a token."""
    proc, _, http_port = start_postanalytics(waf_bin, tmp_path)
    try:
        src = os.path.join(REPO, "src", "postanalytics", "console")
        for name in ASSETS:
            for target in ([f"/console/{name}", "/"] if name == "index.html" else [f"/console/{name}"]):
                with urllib.request.urlopen(f"http://127.0.0.1:{http_port}{target}", timeout=10) as resp:
                    assert resp.status == 200
                    with open(os.path.join(src, name), "rb") as f:
                        assert resp.read() == f.read(), target
                    kind = {"html": "text/html", "js": "text/javascript", "css": "text/css"}[name.rsplit(".", 1)[1]]
                    assert resp.headers["Content-Type"].startswith(kind), target
        for missing in ("/console/nope.js", "/console/../api/v1/events", "/console/assets.hpp"):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http_port}{missing}", timeout=10)
                raise AssertionError(f"{missing} was served")
            except urllib.error.HTTPError as e:
                assert e.code in (400, 404), missing
    finally:
        proc.stop()


def test_console_sources_never_assign_html():
    """Attack payloads reach the page only as text: no HTML sinks and no inline code in the sources."""
    src = os.path.join(REPO, "src", "postanalytics", "console")
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setAttribute\('on")
    for name in ASSETS:
        with open(os.path.join(src, name), encoding="utf-8") as f:
            text = f.read()
        assert not sinks.search(text), f"{name}: {sinks.search(text).group(0)}"
        if name == "index.html":
            assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script> in index.html"
            assert not re.search(r"\son[a-z]+=", text), "inline event handler in index.html"
            assert not re.search(r"\sstyle=", text), "inline style in index.html"


def test_evidence_locator_under_node(node_bin):
    """highlight.js (pure) under node's test runner: encoded evidence maps back to raw characters."""
    result = subprocess.run([node_bin, "--test", os.path.join(HERE, "highlight.test.mjs")], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
