#!/usr/bin/env bash
# Benchmark of inspection: `waf proxy --mode block` against nginx as a plain reverse proxy and
# against nginx + ModSecurity v3 + OWASP CRS (Debian packages, paranoia level 1, blocking), in front
# of the same nginx backend, same run.
#
#   bench/inspection_bench.sh WAF_BIN      (env: BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=3)
#
# Three requests, each sent by wrk (one thread, BENCH_DURATION seconds) to each proxy: a browser GET
# with a 1 KB query string, the same GET with a User-Agent that changes on every request, and a
# 2 KB JSON POST of an API. The proxies take turns for BENCH_ROUNDS
# rounds, so a burst of other work on the machine hits them alike; each is reported by its median
# round (by requests/s). Every proxy runs one worker pinned to
# CPU 0; wrk and the backend share CPU 1. Reports requests/s, p50/p99 latency, CPU time per request
# of the proxy process (utime + stime from /proc/PID/stat over the run, divided by the requests),
# RSS idle and under load, and the ratios. Before measuring, it checks that both inspecting proxies
# answer 403 to an SQL injection and 200 to the benchmark requests, so they are compared doing
# the same job. nginx's config is bench/nginx.conf.template (shared with bench/proxy_bench.sh).
# Every process it starts is stopped on exit. Not a test: numbers depend on the machine.
set -euo pipefail

BENCH_NAME=waf-inspection-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_args "$@"
require_tools nginx wrk taskset python3 curl
modsec_module=/usr/lib/nginx/modules/ngx_http_modsecurity_module.so
for f in "$modsec_module" /usr/share/modsecurity-crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf; do
  [ -e "$f" ] || { echo "bench: $f missing (scripts/deps.sh bench)" >&2; exit 2; }
done
proxy_cpu=0
load_cpu=1
ticks=$(getconf CLK_TCK)

# --- the requests, as wrk Lua scripts, and the same requests for curl -----------------------------
python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
query = ("/catalog/search?q=waterproof+hiking+boots+for+women&category=outdoor%2Ffootwear&size=38.5"
         "&colour=dark+grey&price_min=40&price_max=180&sort=price_asc&page=2&per_page=48&in_stock=true"
         "&utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024")
extra = [("brand", "Lowa%2CMeindl%2CSalomon"), ("rating", "4-5"), ("ship_to", "FR"), ("date", "2024-05-01"),
         ("note", "gift+for+my+sister%2C+thanks")]
i = 0
while len(query) < 1024:
    name, value = extra[i % len(extra)]
    query += "&%s%d=%s" % (name, i // len(extra), value)
    i += 1
items = []
while len(json.dumps(items)) < 1700:
    n = len(items)
    items.append({"sku": "SKU-%d" % (48213 + n), "name": "Trail running shoe, size %d" % (36 + n % 10),
                  "quantity": 1 + n % 3, "unit_price": 89.9 + n, "tags": ["sale", "outdoor"]})
body = json.dumps({"customer": {"id": "c_82f1a9", "email": "jane.doe@example.org", "name": "Jane Doe",
                                "address": {"line1": "12 rue des Lilas", "city": "Lyon", "postcode": "69003"}},
                   "currency": "EUR", "items": items,
                   "notes": "Please leave the parcel with the neighbour at number 14."})
headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
           "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
           "Accept-Language": "en-GB,en;q=0.9", "Accept-Encoding": "gzip, deflate",
           "Cookie": "sessionid=k3v9x0q2m7w1c8r5t4y6u2i0o9p3a1s7; currency=EUR; lang=en-GB"}
def lua(path, method, body, extra_headers):
    lines = ["wrk.method = %s" % json.dumps(method), "wrk.path = %s" % json.dumps(path)]
    if body:
        lines.append("wrk.body = %s" % json.dumps(body))
    for k, v in {**headers, **extra_headers}.items():
        lines.append("wrk.headers[%s] = %s" % (json.dumps(k), json.dumps(v)))
    return "\n".join(lines) + "\n"
open(work + "/get.lua", "w").write(lua(query, "GET", "", {}))
# The same GET from a browser never seen before: a User-Agent that changes on every request, so
# that waf's per-worker memo of header values (src/engine/header_memo.hpp) never helps.
open(work + "/getcold.lua", "w").write(lua(query, "GET", "", {}) + """
local n = 0
request = function()
  n = n + 1
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0." .. n .. " Safari/537.36"
  return wrk.format()
end
""")
open(work + "/json.lua", "w").write(lua("/v1/orders", "POST", body, {"Content-Type": "application/json", "Accept": "application/json"}))
open(work + "/get.path", "w").write(query)
open(work + "/json.body", "w").write(body)
EOF
declare -A label=([get]="GET, 1 KB query string ($(wc -c <"$work/get.path") B target)"
                  [getcold]="same GET, a new User-Agent on every request"
                  [json]="POST, 2 KB JSON ($(wc -c <"$work/json.body") B body)")

status() {  # PORT KIND: the status code of the benchmark request KIND (get, json, attack)
  local port=$1 kind=$2
  case "$kind" in
    get|getcold) curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$(cat "$work/get.path")" ;;
    json) curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "@$work/json.body" \
            "http://127.0.0.1:$port/v1/orders" ;;
    attack) curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/?id=1%27%20OR%201=1--" ;;
  esac
}

wait_ready() {  # PORT NAME LOGFILE PID: until GET / answers 200, at most 10 s, while PID lives
  local port=$1 name=$2 log=$3 pid=$4 i
  for i in $(seq 1 100); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/")" = "200" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $name did not answer 200 on port $port; its log:" >&2
  tail -n 20 "$log" >&2 || true
  exit 1
}

start_nginx() {  # NAME PORT LOCATION [nginx -g directives] -> sets nginx_pid (the master)
  local name=$1 port=$2 location=$3 global=${4:-}
  mkdir -p "$work/$name-tmp"
  sed -e "s|@WORK@|$work|g" -e "s|@NAME@|$name|g" -e "s|@PORT@|$port|g" \
      -e "s|@BACKEND_PORT@|$backend_port|g" -e "s|@LOCATION@|$location|" \
      "$here/nginx.conf.template" >"$work/$name.conf"
  nginx -q -p "$work" -c "$work/$name.conf" -e "$work/$name-error.log" ${global:+-g "$global"} \
    2>>"$work/$name-error.log" &
  nginx_pid=$!
  pids+=("$nginx_pid")
}

pin() {  # CPU PID: the process, its threads and its children (nginx workers)
  local cpu=$1 pid=$2 child
  taskset -a -p -c "$cpu" "$pid" >/dev/null
  for child in $(pgrep -P "$pid" || true); do taskset -a -p -c "$cpu" "$child" >/dev/null; done
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, all threads

to_ms() {  # wrk latency ("812.00us", "1.23ms", "1.01s") in milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.2f", n }'
}

# --- the backend and the three proxies --------------------------------------------------------------
backend_port=$(free_port)
page=$(python3 -c 'print("<!doctype html><title>bench</title>" + "<p>waf inspection benchmark backend</p>" * 16)')
start_nginx backend "$backend_port" "return 200 \"$page\";"
backend_pid=$nginx_pid
wait_ready "$backend_port" "nginx backend" "$work/backend-error.log" "$backend_pid"

proxy_location='proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Request-Id $request_id; add_header X-Request-Id $request_id;'
declare -A port pid
port[nginx]=$(free_port)
start_nginx proxy "${port[nginx]}" "$proxy_location"
pid[nginx]=$nginx_pid

mkdir -p "$work/modsec-tmp"
sed "s|@WORK@|$work|g" "$here/modsecurity/modsecurity.conf.template" >"$work/modsecurity.conf"
port[modsec]=$(free_port)
start_nginx modsec "${port[modsec]}" "modsecurity on; modsecurity_rules_file $work/modsecurity.conf; $proxy_location" \
  "load_module $modsec_module;"
pid[modsec]=$nginx_pid

port[waf]=$(free_port)
"$waf" proxy --mode block --workers 1 --listen "127.0.0.1:${port[waf]}" --admin-listen "127.0.0.1:$(free_port)" \
  --upstream "127.0.0.1:$backend_port" 2>"$work/waf.log" &
pid[waf]=$!
pids+=("${pid[waf]}")

wait_ready "${port[nginx]}" "nginx proxy" "$work/proxy-error.log" "${pid[nginx]}"
wait_ready "${port[modsec]}" "nginx + ModSecurity" "$work/modsec-error.log" "${pid[modsec]}"
wait_ready "${port[waf]}" "waf proxy" "$work/waf.log" "${pid[waf]}"

# nginx does its work in its one worker: that is the process measured (its master stays idle).
for name in nginx modsec; do pid[$name]=$(pgrep -P "${pid[$name]}" | head -n1); done
pin "$load_cpu" "$backend_pid"
for name in nginx modsec waf; do pin "$proxy_cpu" "${pid[$name]}"; done

# --- the same job: both inspecting proxies block the attack and pass the benchmark requests ---------
declare -A rss_idle
for name in nginx modsec waf; do
  rss_idle[$name]=$(rss_kib "${pid[$name]}")
  expected_attack=403; [ "$name" = nginx ] && expected_attack=200
  for kind in attack get json; do
    want=200; [ "$kind" = attack ] && want=$expected_attack
    got=$(status "${port[$name]}" "$kind")
    if [ "$got" != "$want" ]; then
      echo "bench: $name answered $got to the $kind request, expected $want; not a fair comparison" >&2
      exit 1
    fi
  done
done

# --- measure ----------------------------------------------------------------------------------------
# run_wrk NAME KIND ROUND: fills rps, p50, p99, cpu_us, rss_load, errors for "NAME.KIND.ROUND"
declare -A rps p50 p99 cpu_us rss_load errors
run_wrk() {
  local name=$1 kind=$2 key=$1.$2.$3 target=${pid[$1]} out before after requests sampler
  taskset -c "$load_cpu" wrk -t1 -c"$connections" -d1s --timeout 10s -s "$work/$kind.lua" \
    "http://127.0.0.1:${port[$name]}" >/dev/null  # warm-up
  ( end=$((SECONDS + duration + 2)); peak=0
    while [ $SECONDS -lt $end ] && kill -0 "$target" 2>/dev/null; do
      v=$(rss_kib "$target"); [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$work/$key.peak"
      sleep 0.2
    done ) &
  sampler=$!
  pids+=("$sampler")
  before=$(cpu_ticks "$target")
  out=$(taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"${duration}s" --timeout 10s --latency \
          -s "$work/$kind.lua" "http://127.0.0.1:${port[$name]}")
  after=$(cpu_ticks "$target")
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "$out" >"$work/$key.wrk"
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  rps[$key]=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  p50[$key]=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99[$key]=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  cpu_us[$key]=$(awk -v t=$((after - before)) -v hz="$ticks" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}')
  rss_load[$key]=$(cat "$work/$key.peak" 2>/dev/null || echo "")
  errors[$key]=$(echo "$out" | awk -F': *' '/Non-2xx or 3xx responses|Socket errors/ {printf "%s%s", sep, $0; sep="; "}')
}

# median_round KEY: copies the median round of KEY.1..KEY.N (by requests/s) into KEY, with the peak
# RSS of all rounds and every round's requests/s (in rounds_rps).
declare -A rounds_rps
median_round() {
  local key=$1 pick r peak=0 field
  pick=$(for r in $(seq 1 "$rounds"); do echo "${rps[$key.$r]:-0} $r"; done | sort -n |
           awk -v n="$rounds" 'NR == int((n + 1) / 2) {print $2}')
  for field in rps p50 p99 cpu_us errors; do
    declare -n map=$field
    map[$key]=${map[$key.$pick]}
  done
  for r in $(seq 1 "$rounds"); do
    [ "${rss_load[$key.$r]:-0}" -gt "$peak" ] && peak=${rss_load[$key.$r]}
    [ -n "${errors[$key.$r]}" ] && errors[$key]="round $r: ${errors[$key.$r]}"
    rounds_rps[$key]+="${rps[$key.$r]} "
  done
  rss_load[$key]=$peak
}

for kind in get getcold json; do
  for round in $(seq 1 "$rounds"); do
    for name in nginx waf modsec; do run_wrk "$name" "$kind" "$round"; done
  done
  for name in nginx waf modsec; do median_round "$name.$kind"; done
done

# --- report -----------------------------------------------------------------------------------------
mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}' || echo "–"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f", a / b }'; }
declare -A title=([nginx]="nginx reverse proxy" [waf]="waf proxy --mode block --workers 1"
                  [modsec]="nginx + ModSecurity v3 + CRS (PL1, blocking)")
echo
echo "### Inspection cost: waf vs nginx and nginx + ModSecurity + CRS"
echo
echo "$(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) CPUs;" \
     "$(nginx -v 2>&1 | sed 's/.*: //'), libmodsecurity $(dpkg-query -W -f='${Version}' libmodsecurity3 2>/dev/null)," \
     "CRS $(dpkg-query -W -f='${Version}' modsecurity-crs 2>/dev/null); $("$waf" version | head -n1);" \
     "wrk -t1 -c$connections -d${duration}s; proxies pinned to CPU $proxy_cpu, wrk and the backend to CPU $load_cpu."
echo
echo "Median of $rounds alternating rounds of each proxy and request (requests/s of every round in the last column)."
echo
echo "CPU/request: utime + stime of the proxy process (nginx: its worker) over the run, divided by the" \
     "requests wrk completed. RSS: VmRSS of the same process, idle (started, before any load) and peak under load."
echo
echo "| request | proxy | requests/s | p50 | p99 | CPU/request | RSS idle | RSS under load | errors | rounds, requests/s |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|---|"
for kind in get getcold json; do
  for name in nginx waf modsec; do
    key=$name.$kind
    printf '| %s | %s | %s | %s ms | %s ms | %s us | %s | %s | %s | %s |\n' "${label[$kind]}" "${title[$name]}" \
      "${rps[$key]}" "${p50[$key]}" "${p99[$key]}" "${cpu_us[$key]}" "$(mib "${rss_idle[$name]}")" \
      "$(mib "${rss_load[$key]}")" "${errors[$key]:-none}" "${rounds_rps[$key]% }"
  done
done
echo
echo "| request | waf / nginx proxy, requests/s | waf / nginx proxy, CPU/request | waf / ModSecurity, requests/s | ModSecurity / waf, CPU/request |"
echo "|---|---:|---:|---:|---:|"
for kind in get getcold json; do
  printf '| %s | %s | %s | %s | %s |\n' "${label[$kind]}" \
    "$(ratio "${rps[waf.$kind]}" "${rps[nginx.$kind]}")" "$(ratio "${cpu_us[waf.$kind]}" "${cpu_us[nginx.$kind]}")" \
    "$(ratio "${rps[waf.$kind]}" "${rps[modsec.$kind]}")" "$(ratio "${cpu_us[modsec.$kind]}" "${cpu_us[waf.$kind]}")"
done
