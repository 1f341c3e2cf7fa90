"""End-to-end tests of `waf inspect`: raw .http requests in, one JSON verdict per line out.

inspect/cases/<case>.http are requests; inspect/expected/<case>.json say what the verdict must be:
"action" and "status" exactly, every class in "classes" present (an empty list: no finding at all),
every location in "locations" among the findings, or "error" exactly for a file that is not a request.
"""
import json
import os
import pathlib
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent / "inspect"
CASES = HERE / "cases"
EXPECTED = HERE / "expected"
BLOCK_POLICY = HERE / "policies" / "block.json"


@pytest.fixture(scope="module")
def waf_bin():
    path = os.environ.get("WAF_BIN")
    if not path:
        pytest.skip("WAF_BIN is not set (make test-integration sets it)")
    return path


def run_inspect(waf_bin, *args, stdin=None, policy=None):
    cmd = [waf_bin, "inspect"] + (["--policy", str(policy)] if policy else []) + [str(a) for a in args]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=60)


def verdicts(proc):
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def check_verdict(verdict, expected):
    if "error" in expected:
        assert verdict.get("error") == expected["error"]
        return
    assert verdict["action"] == expected["action"]
    if "status" in expected:
        assert verdict["status"] == expected["status"]
    if expected["classes"]:
        assert set(expected["classes"]) <= set(verdict["classes"])
    else:
        assert verdict["classes"] == [] and verdict["findings"] == []
    found = {f["location"] for f in verdict["findings"]}
    for location in expected.get("locations", []):
        assert location in found


def test_directory_of_cases_gives_expected_verdicts_in_sorted_order(waf_bin):
    lines = verdicts(run_inspect(waf_bin, CASES, policy=BLOCK_POLICY))
    cases = sorted(CASES.glob("*.http"))
    assert [pathlib.Path(v["file"]).name for v in lines] == [c.name for c in cases]
    for case, verdict in zip(cases, lines):
        expected = json.loads((EXPECTED / (case.stem + ".json")).read_text())
        try:
            check_verdict(verdict, expected)
        except AssertionError:
            pytest.fail(f"{case.name}: got {json.dumps(verdict)}, expected {json.dumps(expected)}")


def test_every_case_has_an_expectation():
    assert {c.stem for c in CASES.glob("*.http")} == {e.stem for e in EXPECTED.glob("*.json")}


def test_stdin_request_with_default_policy_is_monitored_not_blocked(waf_bin):
    request = (CASES / "sqli_json.http").read_bytes()
    [verdict] = verdicts(run_inspect(waf_bin, stdin=request))
    assert verdict["file"] == "-"
    assert verdict["mode"] == "monitoring"
    assert verdict["action"] == "monitor"
    assert "sqli" in verdict["classes"]


def test_files_given_one_by_one_keep_their_order(waf_bin):
    files = [CASES / "xss_cookie.http", CASES / "benign_get.http"]
    lines = verdicts(run_inspect(waf_bin, *files, policy=BLOCK_POLICY))
    assert [v["file"] for v in lines] == [str(f) for f in files]
    assert [v["action"] for v in lines] == ["block", "allow"]


def test_unreadable_file_is_an_error_line_not_a_failure(waf_bin, tmp_path):
    missing = tmp_path / "missing.http"
    lines = verdicts(run_inspect(waf_bin, missing, CASES / "benign_get.http"))
    assert lines[0] == {"file": str(missing), "error": "cannot read file"}
    assert lines[1]["action"] == "allow"


def test_bad_policy_is_one_line_naming_the_problem_and_exit_2(waf_bin, tmp_path):
    policy = tmp_path / "bad.json"
    policy.write_text('{"mode": "block", "paths": [{"path": "/a", "mode": "blok"}]}')
    proc = run_inspect(waf_bin, CASES / "benign_get.http", policy=policy)
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert "paths[0].mode" in lines[0] and "blok" in lines[0]


def test_missing_policy_file_exits_2(waf_bin, tmp_path):
    proc = run_inspect(waf_bin, CASES / "benign_get.http", policy=tmp_path / "nope.json")
    assert proc.returncode == 2
    assert "--policy" in proc.stderr.decode()


def test_deny_list_with_client_ip_option(waf_bin, tmp_path):
    policy = tmp_path / "deny.json"
    policy.write_text('{"mode": "monitoring", "deny_ips": ["203.0.113.0/24"]}')
    denied = verdicts(run_inspect(waf_bin, "--client-ip", "203.0.113.9", CASES / "benign_get.http", policy=policy))
    assert denied[0]["action"] == "deny_ip"
    assert denied[0]["status"] == 403
    other = verdicts(run_inspect(waf_bin, "--client-ip", "198.51.100.1", CASES / "benign_get.http", policy=policy))
    assert other[0]["action"] == "allow"


def test_huge_json_body_is_partial_and_fast(waf_bin, tmp_path):
    items = ",".join('{"k":"value %d"}' % i for i in range(50000))
    body = '{"items":[' + items + '],"last":"x"}'
    request = tmp_path / "big.http"
    request.write_bytes(
        b"POST /api HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
        % (len(body), body.encode())
    )
    policy = tmp_path / "big.json"
    policy.write_text('{"mode": "block", "inspect_body_limit": 2097152}')
    [verdict] = verdicts(run_inspect(waf_bin, request, policy=policy))
    assert len(body) > 800 * 1024
    assert verdict["partial_inspection"] is True
    assert verdict["action"] == "allow"
