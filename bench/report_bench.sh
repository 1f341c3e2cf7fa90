#!/usr/bin/env bash
# Benchmark: proxy throughput with attack-event reporting on vs off, same machine, same run.
#
#   bench/report_bench.sh WAF_BIN
#
# Backend: nginx serving a small static page (bench/nginx.conf.template). Two `waf proxy --mode
# monitoring --workers 1` run side by side: (off) without --postanalytics, (on) reporting to a real
# `waf postanalytics` (memory only) with --stats-interval 1s. wrk (one thread, BENCH_CONNECTIONS
# connections, BENCH_DURATION seconds, bench/report_bench.lua) sends benign requests over 1000
# distinct paths from 100 client IPs (X-Forwarded-For, trusted), and every 50th request is a SQL
# injection, so reporting does real work: per-request statistics rows and one event per attack.
# The proxy under test is pinned to CPU 1; wrk, the backend and postanalytics share CPU 0. The two
# proxies take turns for BENCH_ROUNDS rounds; each is reported by its median round. Prints a Markdown
# table and the on/off ratio (target: within 5%). Not a test: numbers depend on the machine.
set -euo pipefail

BENCH_NAME=waf-report-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_args "$@"
require_tools nginx wrk taskset python3 curl
load_cpu=0
proxy_cpu=1
load_before=$(cut -d' ' -f1 /proc/loadavg)

wait_http() {  # URL NAME LOG PID: until URL answers (any status), at most 10 s, while PID lives
  local i
  for i in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    kill -0 "$4" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $2 did not answer at $1; its log:" >&2
  tail -n 20 "$3" >&2 || true
  return 1
}

metric() {  # ADMIN_PORT NAME: the value of one unlabelled metric
  curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2" '$1 == n {print $2}'
}

# --- backend ----------------------------------------------------------------------------------------
mkdir -p "$work/www" "$work/backend-tmp"
python3 -c 'print("<!doctype html><title>bench</title>" + "<p>waf report benchmark backend</p>" * 16)' >"$work/www/index.html"
chmod -R a+rX "$work/www"
backend_port=$(free_port)
sed -e "s|@WORK@|$work|g" -e "s|@NAME@|backend|g" -e "s|@PORT@|$backend_port|g" -e "s|@BACKEND_PORT@|$backend_port|g" \
    -e "s|@LOCATION@|root $work/www; try_files \$uri /index.html;|" "$here/nginx.conf.template" >"$work/backend.conf"
taskset -c "$load_cpu" nginx -q -p "$work" -c "$work/backend.conf" -e "$work/backend-error.log" 2>>"$work/backend-error.log" &
pids+=($!)
wait_http "http://127.0.0.1:$backend_port/" backend "$work/backend-error.log" "${pids[-1]}"

# --- postanalytics ----------------------------------------------------------------------------------
pa_port=$(free_port)
pa_http=$(free_port)
taskset -c "$load_cpu" "$waf" postanalytics --listen "127.0.0.1:$pa_port" --http-listen "127.0.0.1:$pa_http" \
  2>"$work/postanalytics.log" &
pids+=($!)
wait_http "http://127.0.0.1:$pa_http/healthz" postanalytics "$work/postanalytics.log" "${pids[-1]}"

# --- the two proxies --------------------------------------------------------------------------------
start_proxy() {  # NAME EXTRA...: sets port[NAME], admin[NAME], pid[NAME]
  local name=$1
  shift
  port[$name]=$(free_port)
  admin[$name]=$(free_port)
  taskset -c "$proxy_cpu" "$waf" proxy --mode monitoring --workers 1 --trusted-proxies 127.0.0.1/32 \
    --listen "127.0.0.1:${port[$name]}" --admin-listen "127.0.0.1:${admin[$name]}" \
    --upstream "127.0.0.1:$backend_port" "$@" 2>"$work/$name.log" >/dev/null &
  pid[$name]=$!
  pids+=("${pid[$name]}")
  wait_http "http://127.0.0.1:${admin[$name]}/readyz" "waf proxy ($name)" "$work/$name.log" "${pid[$name]}"
}
declare -A port admin pid rps p99
start_proxy off
start_proxy on --postanalytics "127.0.0.1:$pa_port" --stats-interval 1s

run_wrk() {  # NAME ROUND
  local name=$1 round=$2 out
  out=$(taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$here/report_bench.lua" \
        "http://127.0.0.1:${port[$name]}/")
  echo "$out" >"$work/$name.$round.wrk"
  rps[$name.$round]=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  p99[$name.$round]=$(echo "$out" | awk '$1 == "99%" {print $2}')
  if echo "$out" | grep -q "Non-2xx or 3xx\|Socket errors"; then
    echo "bench: $name round $round: $(echo "$out" | grep "Non-2xx or 3xx\|Socket errors")" >&2
  fi
}

for name in off on; do  # warm-up
  taskset -c "$load_cpu" wrk -t1 -c"$connections" -d1s -s "$here/report_bench.lua" "http://127.0.0.1:${port[$name]}/" >/dev/null
done
for round in $(seq 1 "$rounds"); do
  run_wrk off "$round"
  run_wrk on "$round"
done
median() {  # NAME: median requests/s of the rounds, and that round's p99
  local name=$1
  local pick
  pick=$(for r in $(seq 1 "$rounds"); do echo "${rps[$name.$r]:-0} $r"; done | sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2) {print $2}')
  rps[$name]=${rps[$name.$pick]}
  p99[$name]=${p99[$name.$pick]}
}
median off
median on
sleep 2  # one more --stats-interval, so the counters below include the last round's stats

sent=$(metric "${admin[on]}" waf_events_sent_total)
queue=$(metric "${admin[on]}" waf_report_queue_depth)
errors=$(metric "${admin[on]}" waf_report_errors_total)
dropped=$(curl -s "http://127.0.0.1:${admin[on]}/metrics" | awk '$1 ~ /^waf_events_dropped_total/ {s += $2} END {print s + 0}')
ingested=$(curl -s "http://127.0.0.1:$pa_http/metrics" | awk '$1 ~ /^waf_postanalytics_events_ingested_total/ {s += $2} END {print s + 0}')

echo
echo "### waf proxy throughput, attack-event reporting on vs off"
echo
echo "$(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) CPUs;" \
     "$("$waf" version | head -n1); wrk -t1 -c$connections -d${duration}s, 1 request in 50 an attack;" \
     "proxy pinned to CPU $proxy_cpu; wrk, nginx backend and postanalytics on CPU $load_cpu; 1-min load average before: $load_before."
echo
echo "Median of $rounds alternating rounds; requests/s of each round: off $(for r in $(seq 1 "$rounds"); do echo -n "${rps[off.$r]} "; done)," \
     "on $(for r in $(seq 1 "$rounds"); do echo -n "${rps[on.$r]} "; done)."
echo
echo "| proxy | requests/s | p99 |"
echo "|---|---:|---:|"
echo "| --mode monitoring, reporting off | ${rps[off]} | ${p99[off]} |"
echo "| --mode monitoring, --postanalytics (stats every 1s) | ${rps[on]} | ${p99[on]} |"
echo
echo "reporting on / off: requests/s $(awk -v a="${rps[on]}" -v b="${rps[off]}" 'BEGIN {printf "%.3f (%+.1f%%)", a / b, (a / b - 1) * 100}')."
echo "Reporting proxy: events sent $sent, dropped $dropped, queue depth $queue, errors $errors; postanalytics ingested $ingested events."
