"""Scale-out (issue 6): two `waf postanalytics` replicas share behaviour counters and the grey and
deny lists through a real redis-server, so a brute force split across both replicas grey-lists
the IP on BOTH although neither replica alone saw enough failures."""
import json

from httpwire import wait_until
from pa_client import stats

ATTACKER = "203.0.113.7"
THRESHOLD = 10


def login_failures(count, ip=ATTACKER):
    return stats(requests=100, rows=[{"ip": ip, "method": "POST", "path": "/login", "status": 401, "count": count}])


def grey_entries(replica):
    status, _, body = replica.api("GET", "/api/v1/greylist")
    assert status == 200, body
    return {e["ip"]: e for e in body["entries"]}


def served_lists(replica):
    """The lists as proxies pull them from the ingest port."""
    status, headers, data = replica.request(replica.ingest_port, "GET", "/ingest/v1/lists")
    assert status == 200, data
    body = json.loads(data)
    assert headers.get("ETag") == f'"{body["version"]}"'
    return body


def redis_window_total(redis, kind, ip):
    return sum(int(redis.command("GET", k) or 0) for k in redis.command("KEYS", f"waf:count:{kind}:{ip}:*"))


def start_replicas(start_postanalytics, redis):
    flags = ("--redis", redis.url, "--brute-force-threshold", str(THRESHOLD), "--grey-ttl", "5m")
    return start_postanalytics(*flags), start_postanalytics(*flags)


def test_brute_force_split_across_replicas_grey_lists_on_both(start_postanalytics, redis):
    a, b = start_replicas(start_postanalytics, redis)

    # Replica A sees 6 failing logins: below the threshold of 10, counted in Redis.
    status, body = a.send_batch([login_failures(6)], sender="proxy-a:1:0", seq=1)
    assert status == 200, body
    wait_until(lambda: redis_window_total(redis, "brute_force", ATTACKER) == 6, what="A's failures counted in Redis")
    assert ATTACKER not in grey_entries(a)
    assert served_lists(b)["grey"] == []

    # Replica B sees 6 more: alone it is also below 10, together they cross it.
    status, body = b.send_batch([login_failures(6)], sender="proxy-b:1:0", seq=1)
    assert status == 200, body
    for replica in (a, b):
        entry = wait_until(lambda: grey_entries(replica).get(ATTACKER), what="the attacker on the grey list")
        assert entry["reason"] == "brute_force"
        assert entry["expires"] is not None
        served = wait_until(lambda: [g for g in served_lists(replica)["grey"] if g["ip"] == ATTACKER],
                          what="the attacker in /ingest/v1/lists")
        assert served[0]["reason"] == "brute_force"
    assert redis_window_total(redis, "brute_force", ATTACKER) == 12
    # A bystander with a single failure stays off both lists.
    assert len(grey_entries(a)) == 1 and len(grey_entries(b)) == 1


def test_deny_and_release_on_one_replica_apply_on_the_other(start_postanalytics, redis):
    a, b = start_replicas(start_postanalytics, redis)
    status, _, body = a.api("PUT", "/api/v1/denylist", body={"ip": "198.51.100.0/24", "reason": "scanner"})
    assert status == 200, body
    before = served_lists(b)["version"]
    deny = wait_until(lambda: served_lists(b)["deny"], what="the deny entry on replica B")
    assert deny[0]["ip"] == "198.51.100.0/24" and deny[0]["reason"] == "scanner" and deny[0]["expires"] is None
    assert served_lists(b)["version"] > before

    status, _, _ = b.api("DELETE", "/api/v1/denylist?ip=198.51.100.0/24")
    assert status == 204
    wait_until(lambda: served_lists(a)["deny"] == [], what="the release on replica A")


def test_redis_outage_keeps_ingest_and_the_last_lists(start_postanalytics, redis):
    a, _ = start_replicas(start_postanalytics, redis)
    status, _, body = a.api("PUT", "/api/v1/denylist", body={"ip": "192.0.2.9"})
    assert status == 200, body
    wait_until(lambda: redis.command("HGET", "waf:deny", "192.0.2.9"), what="the deny entry in Redis")
    redis.stop()

    # Ingest still acknowledges at once; the observations are dropped and counted, not queued forever.
    status, body = a.send_batch([login_failures(3)], sender="proxy-a:1:0", seq=1)
    assert status == 200, body
    a.wait_metrics([("waf_postanalytics_redis_errors_total", {}, lambda v: v and v > 0)], timeout=10)
    assert [d["ip"] for d in served_lists(a)["deny"]] == ["192.0.2.9"]


def test_brute_force_through_two_proxies_reporting_to_different_replicas(start_proxy, make_upstream,
                                                                        start_postanalytics, redis):
    """The issue's scenario end to end: real proxies in front of an app answering 401 on /login,
    each reporting to its own replica; 6 + 6 failures against a threshold of 10."""
    from httpwire import Client
    from upstream import response_bytes

    def failed_login(conn, req):
        conn.send(response_bytes(401, b"wrong password"))
    app = make_upstream(routes={"/login": failed_login})
    a, b = start_replicas(start_postanalytics, redis)
    proxies = [start_proxy(app.address, "--mode", "safe_blocking", "--workers", "1",
                           "--postanalytics", f"127.0.0.1:{replica.ingest_port}", "--trusted-proxies", "127.0.0.1/32",
                           "--stats-interval", "300ms", "--lists-interval", "200ms")
               for replica in (a, b)]

    for proxy in proxies:
        for _ in range(6):
            with Client(proxy.port) as c:
                assert c.request("POST", "/login", [("X-Forwarded-For", ATTACKER)], b"user=a&pass=b").status == 401
    wait_until(lambda: redis_window_total(redis, "brute_force", ATTACKER) == 12, timeout=15,
             what="both proxies' statistics counted in Redis")
    for replica in (a, b):
        entry = wait_until(lambda: grey_entries(replica).get(ATTACKER), what="the attacker grey-listed")
        assert entry["reason"] == "brute_force"
    # Each proxy pulls the grey list from its own replica.
    for proxy in proxies:
        proxy.wait_metrics([("waf_iplist_entries", {"list": "grey"}, 1)], timeout=15)
