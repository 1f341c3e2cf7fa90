#!/usr/bin/env python3
"""Builds test/corpus/crs/ from the OWASP CRS regression tests (go-ftw YAML).

Each test stage becomes one raw HTTP request file:
  crs/<class>/<attack|benign>/<rule>-<test>[-<stage>].http
An attack is a stage whose expected log names a rule of an attack class at paranoia level
<= MAX_PARANOIA (the level the default CRS install runs at, plus one). A stage that only expects
its rule not to match is a "negative" test: many are attacks aimed at another rule, so they are
kept apart from benign traffic (run_corpus.py reports them separately). Stages for higher paranoia levels, for classes we do not
detect, or that test the web server rather than the WAF (expected status codes, errors) are skipped:
their label says nothing about an attack.

labels.tsv records each request's paranoia level: for an attack, the lowest level among the
expected rules of its class (the level at which CRS itself would flag it); for a negative test,
its rule's level. run_corpus.py reports PL1 attacks apart from PL2+ ones, since only PL1 is what a
default CRS install blocks.

The regression tests are YAML; PyYAML (Debian python3-yaml) is needed only to regenerate, the
generated files are committed. Usage: build_from_crs.py [CRS_DIR] [OUT_DIR]
"""
import base64
import os
import re
import shutil
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CRS_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "../../../../shared/crs")
OUT_DIR = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "../crs")
MAX_PARANOIA = 2

# CRS rule id -> our attack class. Most specific prefix wins. Rules not listed are not attack
# detections we claim (session fixation, method enforcement, response rules).
CLASS_BY_RULE_PREFIX = [
    ("913", "scanner"),
    ("920", "protocol"),
    ("921", "crlf"),
    ("921200", "ldapi"),
    ("930", "path_traversal"),
    ("931", "rfi_ssrf"),
    ("932", "command_injection"),
    ("933", "code_injection"),  # PHP
    ("934100", "ssti"),   # Node.js injection / deserialisation
    ("934110", "rfi_ssrf"),
    ("934120", "rfi_ssrf"),
    ("934130", "ssti"),   # prototype pollution
    ("934150", "ssti"),   # Ruby injection
    ("934160", "ssti"),   # Node.js DoS
    ("934170", "rfi_ssrf"),  # PHP data: scheme
    ("941", "xss"),
    ("942", "sqli"),
    ("944", "code_injection"),  # Java
    ("944150", "jndi"),
    ("944151", "jndi"),
    ("944152", "jndi"),
]
# Classes whose attacks count towards detection; "protocol" tests only contribute benign traffic.
ATTACK_CLASSES = {"scanner", "crlf", "ldapi", "path_traversal", "rfi_ssrf", "command_injection", "ssti",
                  "xss", "sqli", "jndi", "code_injection"}


def class_of(rule_id):
    best = None
    for prefix, cls in CLASS_BY_RULE_PREFIX:
        if str(rule_id).startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, cls)
    return best[1] if best else None


def paranoia_levels(rules_dir):
    """rule id -> paranoia level, from each rule's tag:'paranoia-level/N' (default 1)."""
    levels = {}
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".conf"):
            continue
        text = open(os.path.join(rules_dir, name), encoding="utf-8", errors="replace").read()
        # A rule's actions run from its id to the next SecRule/SecAction.
        for block in re.split(r"\n\s*Sec(?:Rule|Action)\b", text):
            m = re.search(r"id:(\d+)", block)
            if not m:
                continue
            pl = re.search(r"paranoia-level/(\d)", block)
            levels[int(m.group(1))] = int(pl.group(1)) if pl else 1
    return levels


def raw_request(inp):
    if "encoded_request" in inp:
        return base64.b64decode(inp["encoded_request"])
    method = str(inp.get("method", "GET"))
    uri = str(inp.get("uri", "/"))
    version = str(inp.get("version", "HTTP/1.1"))
    headers = dict(inp.get("headers") or {})
    data = inp.get("data")
    if isinstance(data, list):
        data = "\r\n".join(str(x) for x in data)
    body = b"" if data is None else str(data).encode("utf-8", "surrogateescape")
    autocomplete = inp.get("autocomplete_headers", True)
    names = {k.lower() for k in headers}
    if autocomplete and body and "content-length" not in names and "transfer-encoding" not in names:
        headers["Content-Length"] = str(len(body))
    lines = [f"{method} {uri} {version}"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + body


def ids(value):
    if value is None:
        return []
    return [int(v) for v in (value if isinstance(value, list) else [value])]


def main():
    tests_dir = os.path.join(CRS_DIR, "tests/regression/tests")
    levels = paranoia_levels(os.path.join(CRS_DIR, "rules"))
    if os.path.isdir(OUT_DIR):
        shutil.rmtree(OUT_DIR)
    index = []
    for folder in sorted(os.listdir(tests_dir)):
        if not os.path.isdir(os.path.join(tests_dir, folder)):
            continue
        for name in sorted(os.listdir(os.path.join(tests_dir, folder))):
            doc = yaml.safe_load(open(os.path.join(tests_dir, folder, name), encoding="utf-8"))
            if not isinstance(doc, dict):
                continue
            rule_id = int(doc.get("rule_id") or name.split(".")[0])
            cls = class_of(rule_id)
            if cls is None or levels.get(rule_id, 1) > MAX_PARANOIA:
                continue
            for test in doc.get("tests") or []:
                stages = test.get("stages") or []
                for n, stage in enumerate(stages):
                    out = stage.get("output") or {}
                    log = out.get("log") or {}
                    if "status" in out or "expect_error" in out or "match_regex" in log:
                        continue
                    expected = ids(log.get("expect_ids"))
                    label = None
                    own = [levels.get(i, 1) for i in expected if class_of(i) == cls]
                    paranoia = levels.get(rule_id, 1)
                    if own and min(own) <= MAX_PARANOIA:
                        label = "attack" if cls in ATTACK_CLASSES else None
                        paranoia = min(own)
                    elif not expected and log.get("no_expect_ids"):
                        label = "negative"
                    if label is None:
                        continue
                    suffix = f"-{n + 1}" if len(stages) > 1 else ""
                    rel = f"{cls}/{label}/{rule_id}-{test.get('test_id')}{suffix}.http"
                    path = os.path.join(OUT_DIR, rel)
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as f:
                        f.write(raw_request(stage["input"]))
                    desc = " ".join(str(test.get("desc", "")).split())
                    index.append(f"{rel}\t{label}\t{cls}\t{rule_id}\t{paranoia}\t{desc}")
    with open(os.path.join(OUT_DIR, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("# file\tlabel\tclass\tcrs_rule\tparanoia\tdescription (generated by tools/build_from_crs.py)\n")
        f.write("\n".join(index) + "\n")
    print(f"build_from_crs: wrote {len(index)} requests to {OUT_DIR}")


if __name__ == "__main__":
    main()
