#!/usr/bin/env python3
"""`waf postanalytics`: ingest throughput on one core, memory per stored event and API latency
with 100,000 stored events. A benchmark, not a test.

Usage: bench/postanalytics_bench.py WAF_BIN [events]   (WAF_BIN: a release build; default 100000)

The server is pinned to CPU 0 (taskset); the client sends pre-built NDJSON batches of 500 events
(the proxy's batch size) over 2 keep-alive connections from CPU 1. A Python client cannot keep
one server core busy, so besides the wall-clock rate the bench reports events per second of the
server's own CPU time: its capacity on one core. Memory per event is the RSS growth over the
ingest divided by the events stored (allocator slack, index and bookkeeping included, not just
the JSON text). Runs twice: memory only, and with --data-dir (fsync before every
acknowledgement, group commit)."""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "test/integration"))
from pa_client import Postanalytics, event, postanalytics_argv  # noqa: E402

waf = os.path.abspath(sys.argv[1])
total = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
PER_BATCH = 500
CONNECTIONS = 2
CLASSES = ["sqli", "xss", "path_traversal", "scanner", "command_injection"]


def build_batches():
    batches = []
    for b in range(total // PER_BATCH):
        lines = []
        for i in range(PER_BATCH):
            n = b * PER_BATCH + i
            e = event(n, ip=f"10.{n % 7}.{n % 251}.{n % 13}", path=f"/api/items/{n % 1000}",
                      classes=(CLASSES[n % 5],), action="monitored" if n % 3 == 0 else "blocked",
                      ns=f"ns{n % 5}", app=["web", "api", "admin", "shop"][n % 4],
                      time=f"2026-11-22T15:{(n // 2000) % 60:02}:{(n // 40) % 60:02}.{n % 1000:03}Z")
            lines.append(json.dumps(e, separators=(",", ":")))
        batches.append("\n".join(lines).encode())
    return batches


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    """User + system CPU time of the process so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ingest(pa, batches):
    chunks = [batches[i::CONNECTIONS] for i in range(CONNECTIONS)]
    failures = []

    def send(index, mine):
        conn = http.client.HTTPConnection("127.0.0.1", pa.ingest_port, timeout=30)
        for seq, body in enumerate(mine, 1):
            conn.request("POST", "/ingest/v1/batch", body=body,
                         headers={"X-Waf-Sender": f"bench:{index}", "X-Waf-Batch-Seq": str(seq)})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                failures.append(resp.status)
        conn.close()

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(chunks)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    assert not failures, failures
    return elapsed


def timed_get(pa, path, repeat=5):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        status, _, body = pa.request(pa.http_port, "GET", path)
        elapsed = (time.perf_counter() - start) * 1000
        assert status == 200, body[:200]
        best = elapsed if best is None else min(best, elapsed)
    return best


def run(label, extra):
    argv = ["taskset", "-c", "0"] + postanalytics_argv(waf, ["--memory", "1GiB"] + extra)
    pa = Postanalytics(argv).wait_ready()
    try:
        os.sched_setaffinity(0, {1} if os.cpu_count() > 1 else {0})
        batches = build_batches()
        before = rss_kib(pa.pid)
        cpu_before = cpu_seconds(pa.pid)
        elapsed = ingest(pa, batches)
        cpu = cpu_seconds(pa.pid) - cpu_before
        stored = pa.metrics().value("waf_postanalytics_events_stored")
        after = rss_kib(pa.pid)
        n = len(batches) * PER_BATCH
        print(f"[{label}] ingest: {n} events in {elapsed:.2f}s = {n / elapsed:,.0f} events/s "
              f"({len(batches) / elapsed:,.0f} batches/s of {PER_BATCH}), server on one core")
        print(f"[{label}] ingest per server CPU second: {n / cpu:,.0f} events/s "
              f"(server busy {cpu:.2f}s of {elapsed:.2f}s: the Python client is the limit when below 1)")
        print(f"[{label}] memory: RSS +{(after - before) / 1024:.1f} MiB for {stored:.0f} events = "
              f"{(after - before) * 1024 / max(stored, 1):,.0f} bytes/event; store accounts "
              f"{pa.metrics().value('waf_postanalytics_memory_bytes') / max(stored, 1):,.0f} bytes/event")
        for path in ["/api/v1/events?limit=50",
                     "/api/v1/events?class=xss&ip=10.0.0.0%2F8&path=/api/items/1*&limit=50",
                     "/api/v1/events?namespace=ns1&app=api&action=monitored&limit=1000",
                     "/api/v1/stats?since=2026-11-22T15:00:00Z&until=2026-11-22T16:00:00Z",
                     "/api/v1/stats?since=2026-11-22T15:00:00Z&until=2026-11-22T16:00:00Z&class=sqli&bucket=10"]:
            print(f"[{label}] GET {path}: {timed_get(pa, path):.1f} ms (best of 5, over HTTP)")
    finally:
        pa.stop()


run("memory", [])
with tempfile.TemporaryDirectory() as data:
    run("data-dir", ["--data-dir", data])
