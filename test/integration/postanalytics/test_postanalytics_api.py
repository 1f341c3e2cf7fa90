"""`waf postanalytics` end to end on loopback: ingest, the token-protected API, dedupe, IP lists."""
import json
import time

from pa_client import event, stats

TOKEN = "t0ken-one"


def test_ingested_events_are_served_filtered_and_paginated(start_postanalytics, token_file):
    pa = start_postanalytics("--token-file", str(token_file))
    lines = [event(1, ip="203.0.113.7", path="/login", classes=("sqli",)),
             event(2, ip="203.0.113.8", path="/api/users/1", classes=("xss",), action="monitored"),
             event(3, ip="198.51.100.1", path="/api/orders", classes=("sqli", "xss"), ns="blog", app="api"),
             stats(requests=100)]
    status, body = pa.send_batch(lines, seq=1)
    assert status == 200, body
    assert body["accepted_events"] == 3 and body["accepted_stats"] == 1 and body["duplicate"] is False
    assert isinstance(body["lists_version"], int)

    status, _, page = pa.api("GET", "/api/v1/events", TOKEN)
    assert status == 200
    assert [e["request_id"] for e in page["events"]] == ["req-3", "req-2", "req-1"]
    assert page["matched"] == 3 and page["next_cursor"] is None
    first = page["events"][2]
    assert first["schema"] == "waf.event/v1" and first["findings"][0]["evidence"] == "1' or '1'='1"

    def ids(query):
        status, _, result = pa.api("GET", "/api/v1/events?" + query, TOKEN)
        assert status == 200, result
        return [e["request_id"] for e in result["events"]]
    assert ids("class=sqli") == ["req-3", "req-1"]
    assert ids("action=monitored") == ["req-2"]
    assert ids("namespace=blog&app=api") == ["req-3"]
    assert ids("ip=203.0.113.0%2F24") == ["req-2", "req-1"]
    assert ids("path=/api/*") == ["req-3", "req-2"]
    assert ids("since=2026-11-22T15:46:00Z") == []
    assert ids("until=1795362357000&since=1795362356000") == ["req-3", "req-2", "req-1"]

    status, _, page1 = pa.api("GET", "/api/v1/events?limit=2", TOKEN)
    assert [e["request_id"] for e in page1["events"]] == ["req-3", "req-2"] and page1["next_cursor"]
    status, _, page2 = pa.api("GET", f"/api/v1/events?limit=2&cursor={page1['next_cursor']}", TOKEN)
    assert [e["request_id"] for e in page2["events"]] == ["req-1"] and page2["next_cursor"] is None

    status, _, one = pa.api("GET", f"/api/v1/events/{first['id']}", TOKEN)
    assert status == 200 and one == first
    assert pa.api("GET", "/api/v1/events/999999", TOKEN)[0] == 404

    status, _, agg = pa.api("GET", "/api/v1/stats?since=2026-11-22T15:00:00Z&until=2026-11-22T16:00:00Z", TOKEN)
    assert status == 200, agg
    assert agg["bucket_seconds"] == 60 and len(agg["timeline"]) == 60
    busy = [b for b in agg["timeline"] if b["total"]]
    assert busy == [{"time": "2026-11-22T15:45:00.000Z", "total": 3, "by_class": {"sqli": 2, "xss": 2}}]
    assert agg["top_ips"][0]["count"] == 1 and len(agg["top_ips"]) == 3
    assert {"class": "sqli", "count": 2} in agg["by_class"]
    assert agg["by_action"] == {"blocked": 2, "monitored": 1, "denied": 0}
    assert agg["requests"] == {"total": 100, "by_status": {"1xx": 0, "2xx": 90, "3xx": 0, "4xx": 10, "5xx": 0}}
    assert {"namespace": "blog", "app": "api", "count": 1} in agg["top_apps"]

    assert pa.api("GET", "/api/v1/events?since=yesterday", TOKEN)[0] == 400
    assert pa.api("GET", "/api/v1/events?limit=5000", TOKEN)[0] == 400


def test_api_needs_the_token_and_follows_its_rotation(start_postanalytics, token_file):
    pa = start_postanalytics("--token-file", str(token_file))
    status, headers, body = pa.api("GET", "/api/v1/events")
    assert status == 401 and headers.get("WWW-Authenticate") == "Bearer" and "error" in body
    assert pa.api("GET", "/api/v1/events", "wrong")[0] == 401
    assert pa.api("GET", "/api/v1/denylist", "wrong")[0] == 401
    assert pa.api("GET", "/api/v1/events", TOKEN)[0] == 200
    # Without a token: health, metrics, the OpenAPI document.
    assert pa.request(pa.http_port, "GET", "/healthz")[0] == 200
    assert pa.request(pa.http_port, "GET", "/readyz")[0] == 200
    status, _, metrics = pa.request(pa.http_port, "GET", "/metrics")
    assert status == 200 and b"waf_postanalytics_api_unauthorized_total 3" in metrics
    status, headers, doc = pa.request(pa.http_port, "GET", "/api/v1/openapi.yaml")
    assert status == 200 and doc.startswith(b"openapi: 3") and b"/api/v1/events" in doc
    status, headers, page = pa.request(pa.http_port, "GET", "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<html" in page.lower()
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert pa.request(pa.http_port, "GET", "/console/nosuch.js")[0] == 404

    # A rotated Secret applies without a restart.
    tmp = token_file.with_suffix(".new")
    tmp.write_text("t0ken-two\n")
    tmp.replace(token_file)
    assert pa.api("GET", "/api/v1/events", "t0ken-two")[0] == 200
    assert pa.api("GET", "/api/v1/events", TOKEN)[0] == 401


def test_without_a_token_file_the_api_is_open_with_a_warning(start_postanalytics):
    pa = start_postanalytics()
    pa.wait_event(lambda o: o.get("event") == "api_unauthenticated", what="the open-API warning")
    assert pa.api("GET", "/api/v1/events")[0] == 200


def test_retried_batches_are_acknowledged_once(start_postanalytics):
    pa = start_postanalytics()
    status, body = pa.send_batch([event(1), event(2)], sender="pod-a:1:0", seq=1)
    assert status == 200 and body["accepted_events"] == 2 and body["duplicate"] is False
    status, body = pa.send_batch([event(1), event(2)], sender="pod-a:1:0", seq=1)
    assert status == 200 and body["duplicate"] is True and body["accepted_events"] == 0
    status, body = pa.send_batch([event(3)], sender="pod-b:1:0", seq=1)  # another sender, own sequence
    assert status == 200 and body["duplicate"] is False
    status, body = pa.send_batch([event(4)], sender="pod-a:1:0", seq=2)
    assert status == 200 and body["duplicate"] is False
    status, body = pa.send_batch([event(1)], sender="pod-a:1:0", seq=1)  # an old one, late
    assert status == 200 and body["duplicate"] is True
    _, _, page = pa.api("GET", "/api/v1/events")
    assert sorted(e["request_id"] for e in page["events"]) == ["req-1", "req-2", "req-3", "req-4"]
    m = pa.metrics()
    assert m.value("waf_postanalytics_batches_total", result="duplicate") == 2
    assert m.value("waf_postanalytics_events_ingested_total") == 4


def test_malformed_batches_are_refused_with_the_line(start_postanalytics):
    pa = start_postanalytics()
    status, body = pa.send_batch([event(1), "{broken"], seq=1)
    assert status == 400 and body["error"].startswith("line 2:")
    status, body = pa.send_batch([json.dumps({"schema": "waf.event/v9", "time": "2026-11-22T15:45:56Z"})], seq=2)
    assert status == 400 and "unknown schema" in body["error"]
    status, _, data = pa.request(pa.ingest_port, "POST", "/ingest/v1/batch", json.dumps(event(1)),
                                 {"X-Waf-Batch-Seq": "3"})
    assert status == 400 and b"X-Waf-Sender" in data
    status, _, data = pa.request(pa.ingest_port, "POST", "/ingest/v1/batch", json.dumps(event(1)),
                                 {"X-Waf-Sender": "s", "X-Waf-Batch-Seq": "zero"})
    assert status == 400 and b"X-Waf-Batch-Seq" in data
    big = b"x" * (4 * 1024 * 1024 + 1)
    status, _, _ = pa.request(pa.ingest_port, "POST", "/ingest/v1/batch", big,
                              {"X-Waf-Sender": "s", "X-Waf-Batch-Seq": "4"})
    assert status == 413
    # Nothing of the refused batches was stored; the refused seqs stay usable.
    _, _, page = pa.api("GET", "/api/v1/events")
    assert page["events"] == []
    assert pa.send_batch([event(1)], seq=1)[0] == 200


def test_ip_lists_for_proxies_and_the_denylist_api(start_postanalytics, token_file):
    pa = start_postanalytics("--token-file", str(token_file))
    status, headers, data = pa.request(pa.ingest_port, "GET", "/ingest/v1/lists")
    assert status == 200
    lists = json.loads(data)
    assert headers["ETag"] == f'"{lists["version"]}"' and lists["grey"] == [] and lists["deny"] == []
    status, _, data = pa.request(pa.ingest_port, "GET", "/ingest/v1/lists", headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and data == b""

    status, _, entry = pa.api("PUT", "/api/v1/denylist", TOKEN, {"ip": "198.51.100.0/24", "reason": "scanner", "ttl": "1h"})
    assert status == 200, entry
    assert entry["ip"] == "198.51.100.0/24" and entry["reason"] == "scanner" and entry["expires"]
    status, _, entry = pa.api("PUT", "/api/v1/denylist", TOKEN, {"ip": "192.0.2.1"})
    assert status == 200 and entry["expires"] is None
    assert pa.api("PUT", "/api/v1/denylist", TOKEN, {"ip": "not-an-ip"})[0] == 400
    assert pa.api("PUT", "/api/v1/denylist", TOKEN, "{")[0] == 400

    status, headers2, data = pa.request(pa.ingest_port, "GET", "/ingest/v1/lists", headers={"If-None-Match": headers["ETag"]})
    assert status == 200 and headers2["ETag"] != headers["ETag"]
    pulled = json.loads(data)
    assert {e["ip"] for e in pulled["deny"]} == {"198.51.100.0/24", "192.0.2.1"}

    status, _, deny = pa.api("GET", "/api/v1/denylist", TOKEN)
    assert status == 200 and len(deny["entries"]) == 2 and deny["version"] == pulled["version"]
    assert pa.api("DELETE", "/api/v1/denylist?ip=192.0.2.1", TOKEN)[0] == 204
    assert pa.api("DELETE", "/api/v1/denylist?ip=192.0.2.1", TOKEN)[0] == 404
    status, _, grey = pa.api("GET", "/api/v1/greylist", TOKEN)
    assert status == 200 and grey["entries"] == []
    assert pa.api("DELETE", "/api/v1/greylist?ip=203.0.113.7", TOKEN)[0] == 404
    assert pa.api("POST", "/api/v1/denylist", TOKEN, {"ip": "192.0.2.1"})[0] == 405


def test_stored_events_reach_the_stdout_exporter_once(start_postanalytics):
    pa = start_postanalytics("--export-stdout")
    assert pa.send_batch([event(1), event(2), stats()], seq=1)[0] == 200
    assert pa.send_batch([event(1), event(2)], seq=1)[1]["duplicate"] is True  # not exported again
    assert pa.send_batch([event(3)], seq=2)[0] == 200  # exported in order: after any re-export
    deadline = time.monotonic() + 10
    while True:
        with pa._cond:
            lines = [json.loads(l) for l in pa.stdout_lines if l.startswith("{")]
        if len(lines) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert [(l["request_id"], l["schema"]) for l in lines] == [
        ("req-1", "waf.event/v1"), ("req-2", "waf.event/v1"), ("req-3", "waf.event/v1")]
    _, _, page = pa.api("GET", "/api/v1/events")
    assert {e["id"] for e in page["events"]} == {l["id"] for l in lines}
