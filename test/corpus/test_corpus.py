"""Detection and false-positive floors on the labelled corpus, through the real `waf inspect`.

The binary comes from WAF_BIN, else the first of build/*/waf. Skips (with the reason) when no
binary can inspect yet. Floors are the product goals for our own corpus and regression guards for
the CRS-derived one (whose attack share includes paranoia-level-2 fragments such as a bare "RAND(").
"""
import filecmp
import glob
import os
import subprocess
import sys

import pytest

import run_corpus

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))

# Our own corpus: the goals the issue sets (>= 90% detected overall, <= 2% of benign flagged).
OWN_MIN_DETECTION = 0.90
OWN_MAX_FALSE_POSITIVES = 0.02
# CRS-derived corpus: measured values minus a margin, so a regression fails the build.
CRS_MIN_DETECTION = {
    "jndi": 0.95, "scanner": 0.95, "ldapi": 0.90, "path_traversal": 0.95, "xss": 0.80, "rfi_ssrf": 0.85,
    "sqli": 0.65, "command_injection": 0.84, "crlf": 0.96, "ssti": 0.95, "code_injection": 0.81,
}
CRS_MIN_NEGATIVE_PASSED = 0.90
# Payload families in every placement and encoding (tools/build_placements.py): measured minus a margin.
PLACEMENTS_MIN_DETECTION = 0.97
PLACEMENTS_MIN_BENIGN_PASSED = 0.94  # adversarial benign values: shell and SQL words, quotes, comparisons
# CRS attacks a default (paranoia level 1) CRS install blocks: the number comparable with CRS.
CRS_MIN_PL1_DETECTION = {"sqli": 0.85, "command_injection": 0.92, "xss": 0.84, "path_traversal": 0.95,
                         "rfi_ssrf": 0.96, "crlf": 0.95, "ssti": 0.95, "code_injection": 0.83}


def find_waf():
    env = os.environ.get("WAF_BIN")
    if env:
        return env
    for candidate in [os.path.join(ROOT, "build/waf")] + sorted(glob.glob(os.path.join(ROOT, "build/*/waf"))):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def stats():
    waf = find_waf()
    if waf is None:
        pytest.skip("no waf binary (set WAF_BIN or build into build/<dir>/waf)")
    try:
        result, _ = run_corpus.measure(waf)
    except run_corpus.InspectUnavailable as e:
        pytest.skip(str(e))
    return result


def share(cell):
    flagged, total = cell
    return flagged / total if total else None


def test_own_corpus_detects_attacks(stats):
    t = run_corpus.totals(stats, "own")
    assert t["attack"][1] >= 100, "own corpus lost its attacks"
    assert share(t["attack"]) >= OWN_MIN_DETECTION, run_corpus.table(stats)


def test_own_corpus_passes_benign_traffic(stats):
    t = run_corpus.totals(stats, "own")
    assert t["benign"][1] >= 90, "own corpus lost its benign requests"
    assert share(t["benign"]) <= OWN_MAX_FALSE_POSITIVES, run_corpus.table(stats)


@pytest.mark.parametrize("cls", sorted(CRS_MIN_DETECTION))
def test_crs_detection_floor(stats, cls):
    cell = stats[("crs", cls)]["attack"]
    assert cell[1] > 0, f"no CRS attacks for {cls}"
    assert share(cell) >= CRS_MIN_DETECTION[cls], run_corpus.table(stats)


@pytest.mark.parametrize("cls", sorted(CRS_MIN_PL1_DETECTION))
def test_crs_paranoia_level_1_detection_floor(stats, cls):
    cell = stats[("crs", cls)]["attack_pl1"]
    assert cell[1] > 0, f"no paranoia-level-1 CRS attacks for {cls} (labels.tsv lacks the paranoia column?)"
    assert share(cell) >= CRS_MIN_PL1_DETECTION[cls], run_corpus.table(stats)


def test_crs_negative_tests_mostly_pass(stats):
    t = run_corpus.totals(stats, "crs")
    flagged, total = t["negative"]
    assert total > 0
    assert (total - flagged) / total >= CRS_MIN_NEGATIVE_PASSED, run_corpus.table(stats)


def test_placements_detects_attacks_and_passes_benign_values(stats):
    t = run_corpus.totals(stats, "placements")
    flagged, total = t["attack"]
    assert total >= 2000, "placements corpus lost its attacks"
    assert flagged / total >= PLACEMENTS_MIN_DETECTION, run_corpus.table(stats)
    flagged, total = t["benign"]
    assert total >= 1000, "placements corpus lost its benign values"
    assert (total - flagged) / total >= PLACEMENTS_MIN_BENIGN_PASSED, run_corpus.table(stats)


@pytest.mark.parametrize("source, tool, least", [("own", "build_own.py", 300), ("placements", "build_placements.py", 3000)])
def test_generated_requests_match_their_generator(tmp_path, source, tool, least):
    """The committed generated files are what the generator writes, so an edit made only to a file
    (or only to the script) cannot drift unnoticed."""
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([sys.executable, os.path.join(here, "tools", tool), str(tmp_path)], check=True,
                   capture_output=True, timeout=60)
    written = sorted(os.path.relpath(p, tmp_path) for p in glob.glob(os.path.join(tmp_path, "*", "*", "*.http")))
    assert len(written) > least
    _, mismatch, errors = filecmp.cmpfiles(os.path.join(here, source), tmp_path, written, shallow=False)
    assert not mismatch and not errors, f"differ from tools/{tool}: {mismatch + errors}"
