#!/usr/bin/env python3
"""Runs `waf inspect` over the labelled corpus and prints per-class detection as a Markdown table.

Layout: <source>/<class>/<label>/<name>.http, where source is "crs" (generated from the OWASP CRS
regression tests by tools/build_from_crs.py), "own" (hand-written) or "placements" (payload families
in every placement and encoding, tools/build_placements.py), and label is
  attack    must be flagged,
  benign    must pass,
  negative  a CRS test that only says one rule must not match; many are attacks for other rules,
            so they are reported but not counted as benign traffic.
A request counts as flagged when its verdict names at least one attack class.

CRS attacks also count per paranoia level (crs/labels.tsv): "PL1" attacks are those a default CRS
install (paranoia level 1) blocks, "PL2+" those only a stricter install flags; the PL1 column is
the number comparable with CRS as deployed.

Usage: run_corpus.py WAF_BIN [--policy FILE] [--source crs|own|placements] [--misses [--flagged-negatives]]
Exit status: 0 on success, 2 when WAF_BIN cannot inspect (not built yet).
"""
import argparse
import collections
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = ("attack", "benign", "negative")
# Extra cells splitting CRS attacks by paranoia level.
PARANOIA_CELLS = ("attack_pl1", "attack_pl2")
CELLS = LABELS + PARANOIA_CELLS


def paranoia_levels():
    """{relative path under crs/: paranoia level} from crs/labels.tsv (empty when absent)."""
    levels = {}
    path = os.path.join(HERE, "crs", "labels.tsv")
    if not os.path.exists(path):
        return levels
    with open(path, encoding="utf-8") as f:
        header = f.readline().lstrip("# ").rstrip("\n").split("\t")
        if "paranoia" not in header:
            return levels
        col = header.index("paranoia")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > col and fields[col].isdigit():
                levels[fields[0]] = int(fields[col])
    return levels


def corpus_files(sources=None):
    """Yields (path, source, cls, label) for every request in the corpus."""
    for source in sorted(os.listdir(HERE)):
        src_dir = os.path.join(HERE, source)
        if source == "tools" or not os.path.isdir(src_dir) or (sources and source not in sources):
            continue
        for cls in sorted(os.listdir(src_dir)):
            for label in LABELS:
                d = os.path.join(src_dir, cls, label)
                if not os.path.isdir(d):
                    continue
                for name in sorted(os.listdir(d)):
                    if name.endswith(".http"):
                        yield os.path.join(d, name), source, cls, label


class InspectUnavailable(Exception):
    pass


def inspect(waf_bin, files, policy=None, batch=400):
    """Returns {absolute path: verdict dict} from `waf inspect`, run over batches of files."""
    verdicts = {}
    files = list(files)
    for start in range(0, len(files), batch):
        chunk = files[start:start + batch]
        cmd = [waf_bin, "inspect"] + (["--policy", policy] if policy else []) + chunk
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=300)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise InspectUnavailable(f"{waf_bin} inspect: {e}")
        out = proc.stdout.decode("utf-8", "replace")
        if "not built yet" in out + proc.stderr.decode("utf-8", "replace"):
            raise InspectUnavailable(f"{waf_bin} inspect: not built yet")
        for line in out.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                v = json.loads(line)
            except json.JSONDecodeError:
                continue
            if "file" in v:
                verdicts[os.path.abspath(v["file"])] = v
        if not verdicts and proc.returncode != 0:
            raise InspectUnavailable(f"{waf_bin} inspect exited {proc.returncode}: "
                                     f"{proc.stderr.decode('utf-8', 'replace')[:300]}")
    return verdicts


def flagged(verdict):
    return bool(verdict and verdict.get("classes"))


def measure(waf_bin, policy=None, sources=None):
    """Returns (stats, misses): stats[(source, cls)][cell] = [flagged, total] for each of CELLS;
    misses lists (label, path, classes, paranoia level or None) for missed attacks and flagged
    benign or negative requests."""
    entries = list(corpus_files(sources))
    verdicts = inspect(waf_bin, [e[0] for e in entries], policy)
    missing = [e[0] for e in entries if os.path.abspath(e[0]) not in verdicts]
    if len(missing) == len(entries):
        raise InspectUnavailable(f"{waf_bin} inspect printed no verdict for the corpus")
    stats = collections.defaultdict(lambda: {cell: [0, 0] for cell in CELLS})
    levels = paranoia_levels()
    misses = []
    for path, source, cls, label in entries:
        v = verdicts.get(os.path.abspath(path))
        hit = flagged(v)
        cells = [label]
        level = levels.get(os.path.relpath(path, os.path.join(HERE, "crs"))) if source == "crs" else None
        if label == "attack" and level is not None:
            cells.append("attack_pl1" if level <= 1 else "attack_pl2")
        for name in cells:
            stats[(source, cls)][name][0] += hit
            stats[(source, cls)][name][1] += 1
        if (label == "attack" and not hit) or (label in ("benign", "negative") and hit):
            misses.append((label, path, (v or {}).get("classes"), level))
    return stats, misses


def totals(stats, source=None):
    t = {cell: [0, 0] for cell in CELLS}
    for (src, _), cells in stats.items():
        if source and src != source:
            continue
        for cell in CELLS:
            t[cell][0] += cells[cell][0]
            t[cell][1] += cells[cell][1]
    return t


def pct(num, den):
    return f"{100.0 * num / den:.1f}% ({num}/{den})" if den else "-"


def row(source, cls, c, bold=False):
    cols = [source, cls, pct(*c["attack"]), pct(*c["attack_pl1"]), pct(*c["attack_pl2"]),
            pct(c["benign"][1] - c["benign"][0], c["benign"][1]),
            pct(c["negative"][1] - c["negative"][0], c["negative"][1])]
    return "| " + " | ".join(f"**{x}**" if bold else x for x in cols) + " |"


def table(stats):
    rows = ["| source | class | attacks detected | CRS PL1 attacks | CRS PL2+ attacks | benign passed "
            "| CRS negative tests passed |",
            "|---|---|---|---|---|---|---|"]
    for (source, cls) in sorted(stats):
        rows.append(row(source, cls, stats[(source, cls)]))
    for source in sorted({s for s, _ in stats}) + [None]:
        rows.append(row(source or "all", "all", totals(stats, source), bold=True))
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("waf_bin")
    ap.add_argument("--policy")
    ap.add_argument("--source", action="append", help="only this corpus source (repeatable)")
    ap.add_argument("--misses", action="store_true", help="list missed attacks and flagged benign requests")
    ap.add_argument("--flagged-negatives", action="store_true", help="also list flagged CRS negative tests")
    args = ap.parse_args()
    try:
        stats, misses = measure(args.waf_bin, args.policy, args.source)
    except InspectUnavailable as e:
        print(f"run_corpus: {e}", file=sys.stderr)
        return 2
    print(table(stats))
    if args.misses:
        for label, path, classes, level in misses:
            if label == "negative" and not args.flagged_negatives:
                continue
            pl = f"PL{level} " if level else ""
            tag = {"attack": "MISSED", "benign": "FLAGGED", "negative": "NEGATIVE-FLAGGED"}[label]
            print(f"{tag} {pl}{os.path.relpath(path, HERE)} {classes or ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
