"""--data-dir: acknowledged events survive a restart and kill -9; dedupe survives with them; the
memory budget evicts the oldest events."""
import http.client
import json
import threading
import time

from pa_client import event, stats


def all_request_ids(pa):
    """Every stored event's request_id, following the cursor."""
    seen, cursor = [], None
    for _ in range(10_000):
        path = "/api/v1/events?limit=1000" + (f"&cursor={cursor}" if cursor else "")
        status, _, page = pa.api("GET", path)
        assert status == 200, page
        seen += [e["request_id"] for e in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


def test_restart_keeps_events_ids_and_dedupe(start_postanalytics, tmp_path):
    data = tmp_path / "data"
    pa = start_postanalytics("--data-dir", str(data))
    assert pa.send_batch([event(1), event(2), stats()], sender="pod:1:0", seq=1)[0] == 200
    assert pa.send_batch([event(3)], sender="pod:1:0", seq=2)[0] == 200
    _, _, before = pa.api("GET", "/api/v1/events")
    pa.stop()

    pa = start_postanalytics("--data-dir", str(data))
    _, _, after = pa.api("GET", "/api/v1/events")
    assert after == before
    status, body = pa.send_batch([event(3)], sender="pod:1:0", seq=2)
    assert status == 200 and body["duplicate"] is True
    status, body = pa.send_batch([event(4)], sender="pod:1:0", seq=3)
    assert status == 200 and body["duplicate"] is False
    _, _, page = pa.api("GET", "/api/v1/events")
    assert [e["request_id"] for e in page["events"]] == ["req-4", "req-3", "req-2", "req-1"]
    assert int(page["events"][0]["id"]) > int(before["events"][0]["id"])  # ids are never reused
    _, _, agg = pa.api("GET", "/api/v1/stats?since=2026-11-22T15:00:00Z&until=2026-11-22T16:00:00Z")
    assert agg["requests"]["total"] == 100


class Streamer(threading.Thread):
    """A proxy-like client: one keep-alive connection, batches with increasing seqs, each retried
    (with the same seq) until it gets a 200; records which batches were acknowledged."""

    def __init__(self, port_of, sender, batches, events_per_batch):
        super().__init__(daemon=True)
        self.port_of, self.sender = port_of, sender
        self.batches, self.per_batch = batches, events_per_batch
        self.acked = []   # seq of each 200
        self.errors = 0
        self.stop_at = time.monotonic() + 60

    def run(self):
        conn = None
        seq = 1
        while seq <= self.batches and time.monotonic() < self.stop_at:
            lines = [json.dumps(event(f"{self.sender}-{seq}-{i}")) for i in range(self.per_batch)]
            body = "\n".join(lines).encode()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port_of(), timeout=5)
                conn.request("POST", "/ingest/v1/batch", body=body,
                             headers={"X-Waf-Sender": self.sender, "X-Waf-Batch-Seq": str(seq)})
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    self.acked.append(seq)
                    seq += 1
                    continue
            except (OSError, http.client.HTTPException):
                pass
            self.errors += 1
            if conn is not None:
                conn.close()
                conn = None
            time.sleep(0.02)  # backoff between retries while the server is down (not a synchronisation)


def test_kill9_mid_ingest_loses_no_acknowledged_batch(start_postanalytics, tmp_path):
    data = tmp_path / "data"
    pa = start_postanalytics("--data-dir", str(data))
    current = {"pa": pa}
    streamers = [Streamer(lambda: current["pa"].ingest_port, f"proxy-{i}:1:0", 150, 20) for i in range(3)]
    for s in streamers:
        s.start()
    deadline = time.monotonic() + 30
    while sum(len(s.acked) for s in streamers) < 60:
        assert time.monotonic() < deadline, "streamers made no progress"
        time.sleep(0.01)
    pa.kill9()
    acked_before_kill = {s.sender: list(s.acked) for s in streamers}

    pa = start_postanalytics("--data-dir", str(data))
    stored = set(all_request_ids(pa))
    for s in streamers:
        for seq in acked_before_kill[s.sender]:
            for i in range(s.per_batch):
                assert f"req-{s.sender}-{seq}-{i}" in stored, f"acknowledged batch {s.sender} #{seq} lost"

    # The streamers catch up against the restarted server: every batch exactly once.
    current["pa"] = pa
    for s in streamers:
        s.join(60)
        assert not s.is_alive(), "streamer did not finish"
        assert s.acked == list(range(1, s.batches + 1))
    ids = all_request_ids(pa)
    assert len(ids) == len(set(ids)) == 3 * 150 * 20


def test_memory_budget_evicts_oldest(start_postanalytics):
    pa = start_postanalytics("--memory", "200KiB")
    for seq in range(1, 21):
        lines = [event(f"{seq}-{i}") for i in range(50)]
        assert pa.send_batch(lines, seq=seq)[0] == 200
    m = pa.metrics()
    stored = m.value("waf_postanalytics_events_stored")
    assert 0 < stored < 1000
    assert m.value("waf_postanalytics_events_evicted_total") == 1000 - stored
    assert m.value("waf_postanalytics_memory_bytes") <= 200 * 1024
    ids = all_request_ids(pa)
    assert len(ids) == stored and ids[0] == "req-20-49"  # the newest stay
