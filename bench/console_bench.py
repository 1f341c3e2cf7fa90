"""Console first render time with 100,000 stored events. A benchmark, not a test.

Starts `waf postanalytics`, ingests the events through /ingest/v1/batch (500 a batch, as a proxy
sends them) all within the last hour, so the console's default view aggregates and pages over every
one of them, then measures in headless Chromium (bench/console_bench.js) the time from navigation
start to the chart and the first page of the list on screen.
Usage: python3 bench/console_bench.py WAF_BIN [events] [runs]"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "test", "console"))
sys.path.insert(0, os.path.join(ROOT, "test", "integration"))
import console_data  # noqa: E402
from wafproc import Proxy as WafProcess  # noqa: E402

waf = os.path.abspath(sys.argv[1])
count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 7
token = "console-bench"
tmp = tempfile.mkdtemp(prefix="waf-console-bench.")
token_file = os.path.join(tmp, "token")
with open(token_file, "w") as f:
    f.write(token)

proc = WafProcess([waf, "postanalytics", "--listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0",
                   "--token-file", token_file, "--memory", "2GiB"])
try:
    def port(listener):
        ev = proc.wait_event(lambda o: o.get("event") == "listening" and o.get("listener") == listener)
        return int(str(ev["address"]).rsplit(":", 1)[1])
    ingest_port, http_port = port("ingest"), port("http")

    def measure():
        out = subprocess.run(["node", os.path.join(ROOT, "bench", "console_bench.js"), f"http://127.0.0.1:{http_port}",
                              token, str(runs)], capture_output=True, text=True, timeout=900)
        if out.returncode != 0:
            sys.exit(f"console_bench.js failed:\n{out.stderr}")
        return json.loads(out.stdout.strip().splitlines()[-1])

    empty = measure()  # the same page with nothing stored: what the browser alone costs
    events = console_data.scenario(count - 2, int(time.time() * 1000) - 60_000, 55 * 60 * 1000)
    t0 = time.perf_counter()
    accepted = console_data.post_batches(ingest_port, events, batch_size=500, timeout=600)
    fill_s = time.perf_counter() - t0
    assert accepted == len(events), (accepted, len(events))
    rss_kib = proc.rss_kib()
    result = measure()
finally:
    proc.stop()
    shutil.rmtree(tmp, ignore_errors=True)

print(f"events={len(events)} ingest={len(events) / fill_s:.0f} events/s (one client, 500/batch) "
      f"postanalytics RSS={rss_kib / 1024:.0f} MiB")
print(f"median of {runs} page loads each; 'empty' is the same view with nothing stored")
print(f"{'view':<16} {'first render':>14} {'(max)':>8} {'empty':>8} {'stats API':>10} {'events API':>11}  list")
for view, r in result.items():
    print(f"{view:<16} {r['render_ms_median']:>11.0f} ms {r['render_ms_max']:>5.0f} ms {empty[view]['render_ms_median']:>5.0f} ms "
          f"{r['stats_api_ms_median']:>7.0f} ms {r['events_api_ms_median']:>8.0f} ms  {r['rows']} rows, {r['page_info']}")
