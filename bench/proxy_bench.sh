#!/usr/bin/env bash
# Benchmark: `waf proxy --mode off` against nginx as a reverse proxy, same machine, same run.
#
#   bench/proxy_bench.sh WAF_BIN
#
# nginx (Debian, root-less config from bench/nginx.conf.template) serves a small static page as the
# backend. wrk (one thread, BENCH_CONNECTIONS connections, BENCH_DURATION seconds) then loads
#   (a) the backend directly, (b) nginx as a reverse proxy with upstream keep-alive,
#   (c) waf proxy --mode off --workers 1,
# (b) and (c) alternating for BENCH_ROUNDS rounds, each reported by its median round.
# The process under test is pinned to CPU 1 with taskset; wrk runs on CPU 0 (and so does the backend
# while a proxy is measured; for (a) the backend gets CPU 1 itself). Prints a Markdown table with
# requests/s, p50/p99 latency, proxy RSS idle and under load, and the waf/nginx-proxy ratios.
# Every process it starts is stopped on exit. Not a test: numbers depend on the machine and on what
# else runs on it.
set -euo pipefail

BENCH_NAME=waf-bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_args "$@"
require_tools nginx wrk taskset python3
load_cpu=0
proxy_cpu=1

load_before=$(cut -d' ' -f1 /proc/loadavg)  # reported: other work on the machine skews every number

# Status code of GET / on 127.0.0.1:PORT, or nothing if the connection fails (bash /dev/tcp: no curl needed).
http_status() {
  ( exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 0
    printf 'GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' >&3
    IFS= read -r -t 5 line <&3 || true
    echo "${line:-}" | awk '{print $2}' ) 2>/dev/null
}

wait_ready() {  # PORT NAME LOGFILE PID: until GET / answers 200, at most 10 s, while PID lives
  local port=$1 name=$2 log=$3 pid=$4 i
  for i in $(seq 1 100); do
    [ "$(http_status "$port")" = "200" ] && return 0
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench: $name did not answer 200 on port $port; its log:" >&2
  tail -n 20 "$log" >&2 || true
  return 1
}

start_nginx() {  # NAME PORT LOCATION -> sets nginx_pid
  local name=$1 port=$2 location=$3
  mkdir -p "$work/$name-tmp"
  sed -e "s|@WORK@|$work|g" -e "s|@NAME@|$name|g" -e "s|@PORT@|$port|g" \
      -e "s|@BACKEND_PORT@|$backend_port|g" -e "s|@LOCATION@|$location|" \
      "$here/nginx.conf.template" >"$work/$name.conf"
  nginx -q -p "$work" -c "$work/$name.conf" -e "$work/$name-error.log" 2>>"$work/$name-error.log" &
  nginx_pid=$!
  pids+=("$nginx_pid")
}

pin() {  # CPU PID: the process and its threads; nginx workers are children, pinned with their master
  local cpu=$1 pid=$2 child
  taskset -a -p -c "$cpu" "$pid" >/dev/null
  for child in $(pgrep -P "$pid" || true); do taskset -a -p -c "$cpu" "$child" >/dev/null; done
}

rss_kib() {  # PID: VmRSS in KiB
  awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

to_ms() {  # wrk latency ("812.00us", "1.23ms", "1.01s") in milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.3f", n }'
}

# run_wrk NAME PORT PID: fills rps[NAME], p50[NAME], p99[NAME], rss_idle[NAME], rss_load[NAME]
declare -A rps p50 p99 rss_idle rss_load
run_wrk() {
  local name=$1 port=$2 pid=$3 out peak=0 sampler
  taskset -c "$load_cpu" wrk -t1 -c"$connections" -d1s "http://127.0.0.1:$port/" >/dev/null  # warm-up
  rss_idle[$name]=$( [ -n "$pid" ] && rss_kib "$pid" || echo "")
  if [ -n "$pid" ]; then
    ( end=$((SECONDS + duration + 2)); peak=0
      while [ $SECONDS -lt $end ] && kill -0 "$pid" 2>/dev/null; do
        v=$(rss_kib "$pid"); [ "$v" -gt "$peak" ] && peak=$v && echo "$peak" >"$work/$name.peak"
        sleep 0.2
      done ) &
    sampler=$!
    pids+=("$sampler")
  fi
  out=$(taskset -c "$load_cpu" wrk -t1 -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$port/")
  echo "$out" >"$work/$name.wrk"
  if [ -n "$pid" ]; then
    wait "$sampler" 2>/dev/null || true
    rss_load[$name]=$(cat "$work/$name.peak" 2>/dev/null || echo "")
  fi
  rps[$name]=$(echo "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
  p50[$name]=$(to_ms "$(echo "$out" | awk '$1 == "50%" {print $2}')")
  p99[$name]=$(to_ms "$(echo "$out" | awk '$1 == "99%" {print $2}')")
  local errors
  errors=$(echo "$out" | awk '/Non-2xx or 3xx responses|Socket errors/')
  if [ -n "$errors" ]; then echo "bench: $name: $errors" >&2; fi
}

mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN {printf "%.1f MiB", k / 1024}' || echo "–"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f", a / b }'; }

# --- the backend: a small static page ---------------------------------------------------------------
mkdir -p "$work/www"
python3 -c 'print("<!doctype html><title>bench</title>" + "<p>waf proxy benchmark backend</p>" * 16)' >"$work/www/index.html"
chmod -R a+rX "$work/www"
backend_port=$(free_port)
start_nginx backend "$backend_port" "root $work/www; index index.html;"
backend_pid=$nginx_pid
wait_ready "$backend_port" "nginx backend" "$work/backend-error.log" "$backend_pid"

# --- (b) nginx as a reverse proxy, upstream keep-alive, the same forwarded headers waf sets ----------
nginx_port=$(free_port)
start_nginx proxy "$nginx_port" 'proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; proxy_set_header X-Forwarded-Host $host; proxy_set_header X-Request-Id $request_id; add_header X-Request-Id $request_id;'
nginx_proxy_pid=$nginx_pid
wait_ready "$nginx_port" "nginx proxy" "$work/proxy-error.log" "$nginx_proxy_pid"

# --- (c) waf proxy ----------------------------------------------------------------------------------
waf_port=$(free_port)
waf_admin_port=$(free_port)
taskset -c "$proxy_cpu" "$waf" proxy --mode off --workers 1 \
  --listen "127.0.0.1:$waf_port" --admin-listen "127.0.0.1:$waf_admin_port" \
  --upstream "127.0.0.1:$backend_port" 2>"$work/waf.log" &
waf_pid=$!
pids+=("$waf_pid")
waf_ok=1
wait_ready "$waf_port" "waf proxy" "$work/waf.log" "$waf_pid" || waf_ok=0

# --- measure ----------------------------------------------------------------------------------------
pin "$proxy_cpu" "$backend_pid"
pin "$load_cpu" "$nginx_proxy_pid"
run_wrk backend "$backend_port" "$backend_pid"

# nginx's RSS is its worker's (the process doing the work); the master is reported apart: its RSS
# is mostly library pages it shares with the worker.
pin "$load_cpu" "$backend_pid"
nginx_worker_pid=$(pgrep -P "$nginx_proxy_pid" | head -n1)
nginx_master_rss=$(rss_kib "$nginx_proxy_pid")
# The two proxies take turns, round after round, so a burst of other work on the machine hits both
# alike; each is reported by its median round (by requests/s).
for round in $(seq 1 "$rounds"); do
  pin "$proxy_cpu" "$nginx_proxy_pid"
  run_wrk "nginx.$round" "$nginx_port" "$nginx_worker_pid"
  pin "$load_cpu" "$nginx_proxy_pid"
  if [ "$waf_ok" = 1 ]; then
    run_wrk "waf.$round" "$waf_port" "$waf_pid"
    kill -0 "$waf_pid" 2>/dev/null || { echo "bench: waf proxy died under load; its log:" >&2; tail -n 20 "$work/waf.log" >&2; waf_ok=0; }
  fi
done

median_round() {  # NAME: copies the median round of NAME.1..NAME.N into NAME; idle RSS from round 1, peak RSS of all
  local name=$1 pick r peak=0
  pick=$(for r in $(seq 1 "$rounds"); do echo "${rps[$name.$r]:-0} $r"; done | sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2) {print $2}')
  rps[$name]=${rps[$name.$pick]}
  p50[$name]=${p50[$name.$pick]}
  p99[$name]=${p99[$name.$pick]}
  rss_idle[$name]=${rss_idle[$name.1]}
  for r in $(seq 1 "$rounds"); do [ "${rss_load[$name.$r]:-0}" -gt "$peak" ] && peak=${rss_load[$name.$r]}; done
  rss_load[$name]=$peak
  rounds_rps[$name]=$(for r in $(seq 1 "$rounds"); do echo "${rps[$name.$r]:-?}"; done | paste -sd" ")
}
declare -A rounds_rps
median_round nginx
[ "$waf_ok" = 1 ] && median_round waf

# --- report -----------------------------------------------------------------------------------------
row() {  # LABEL NAME
  local label=$1 name=$2
  printf '| %s | %s | %s ms | %s ms | %s | %s |\n' "$label" "${rps[$name]:-–}" "${p50[$name]:-–}" "${p99[$name]:-–}" \
    "$( [ "$name" = backend ] && echo "–" || mib "${rss_idle[$name]:-}")" \
    "$( [ "$name" = backend ] && echo "–" || mib "${rss_load[$name]:-}")"
}
echo
echo "### waf proxy vs nginx reverse proxy"
echo
echo "$(date -u +%Y-%m-%d), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) CPUs;" \
     "$(nginx -v 2>&1 | sed 's/.*: //'); $("$waf" version | head -n1); wrk -t1 -c$connections -d${duration}s;" \
     "proxy pinned to CPU $proxy_cpu, wrk to CPU $load_cpu; 1-min load average before the run: $load_before."
echo
echo "RSS: VmRSS of the process that serves (nginx: its worker; its master adds $(mib "$nginx_master_rss")," \
     "mostly shared library pages), idle after a 1 s warm-up and peak under load."
echo
echo "Median of $rounds alternating rounds; requests/s of each round: nginx ${rounds_rps[nginx]}, waf ${rounds_rps[waf]:-none}."
echo
echo "| target | requests/s | p50 | p99 | RSS idle | RSS under load |"
echo "|---|---:|---:|---:|---:|---:|"
row "(a) nginx backend, direct" backend
row "(b) nginx reverse proxy, upstream keep-alive" nginx
if [ "$waf_ok" = 1 ]; then row "(c) waf proxy --mode off --workers 1" waf; else echo "| (c) waf proxy --mode off --workers 1 | failed | | | | |"; fi
echo
if [ "$waf_ok" = 1 ]; then
  echo "waf / nginx-proxy: requests/s $(ratio "${rps[waf]}" "${rps[nginx]}")," \
       "p50 $(ratio "${p50[waf]}" "${p50[nginx]}"), p99 $(ratio "${p99[waf]}" "${p99[nginx]}")," \
       "RSS idle $(ratio "${rss_idle[waf]}" "${rss_idle[nginx]}"), RSS under load $(ratio "${rss_load[waf]}" "${rss_load[nginx]}")" \
       "(requests/s: higher is better; latency and RSS: lower is better)."
else
  echo "waf proxy could not be measured (see the messages above)."
  exit 1
fi
