"""Admission latency of `waf controller` at a paced 200 reviews/s over one keep-alive TLS
connection, and its RSS. A benchmark, not a test. Usage: bench/admission_bench.py WAF_BIN [seconds]"""
import os, sys, time, tempfile
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "test/e2e"))
from k8s.controller import Controller, make_cert

waf = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
rate = 200
tmp = tempfile.mkdtemp()
certs = make_cert(tmp, "bench")
body = open(os.path.join(ROOT, "test/unit/controller/testdata/all_annotations.review.json"), "rb").read()
c = Controller(waf, certs["cert"], certs["key"])
conn = c.connect(certs["ca"])
lat = []
start = time.perf_counter()
n = int(rate * seconds)
for i in range(n):
    target = start + i / rate
    now = time.perf_counter()
    if target > now:
        time.sleep(target - now)
    t0 = time.perf_counter()
    try:
        status, review = c.post(certs["ca"], body, conn=conn)
    except Exception as e:
        print("failed at", i, e); print("".join(list(c.log)[-3:])); raise
    lat.append(time.perf_counter() - t0)
    assert status == 200 and review["response"]["allowed"]
elapsed = time.perf_counter() - start
status = open(f"/proc/{c.proc.pid}/status").read()
rss = [l for l in status.splitlines() if l.startswith(("VmRSS", "VmHWM"))]
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print(f"reviews={n} rate={n/elapsed:.0f}/s client p50={q(0.5):.3f}ms p99={q(0.99):.3f}ms max={lat[-1]*1000:.3f}ms")
_, metrics = c.admin("/metrics")
print("\n".join(l for l in metrics.splitlines() if "admission_duration_seconds" in l and not l.startswith("#")))
print(" ".join(rss))
conn.close()
c.stop()
