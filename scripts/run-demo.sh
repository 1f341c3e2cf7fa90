#!/usr/bin/env bash
# `make run`: the demo app on 127.0.0.1:8081 behind `waf proxy` on 127.0.0.1:8080 (admin on
# 127.0.0.1:9901), embedded defaults, in block mode so attacks are visibly refused; the proxy reports
# to `waf postanalytics` (ingest 127.0.0.1:7000, console 127.0.0.1:9000, no token on localhost).
# Ctrl-C stops all three.
set -euo pipefail
waf=${1:-build/release/waf}
app_port=${WAF_DEMO_APP_PORT:-8081}
proxy_port=${WAF_DEMO_PORT:-8080}
admin_port=${WAF_DEMO_ADMIN_PORT:-9901}
ingest_port=${WAF_DEMO_INGEST_PORT:-7000}
console_port=${WAF_DEMO_CONSOLE_PORT:-9000}

"$waf" demo-app --listen "127.0.0.1:$app_port" --log-format text &
app=$!
trap 'kill $app $analytics $proxy 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
"$waf" postanalytics --listen "127.0.0.1:$ingest_port" --http-listen "127.0.0.1:$console_port" --log-format text &
analytics=$!
"$waf" proxy --listen "127.0.0.1:$proxy_port" --upstream "127.0.0.1:$app_port" \
  --admin-listen "127.0.0.1:$admin_port" --mode block --access-log - --log-format text \
  --postanalytics "127.0.0.1:$ingest_port" &
proxy=$!

cat <<MSG

  waf is protecting a demo app.
    Open      http://127.0.0.1:$proxy_port/
    Try       curl -i "http://127.0.0.1:$proxy_port/api/echo?q=blue+shoes"
    Attack    curl -i "http://127.0.0.1:$proxy_port/api/echo?file=../../etc/passwd"
    Metrics   curl http://127.0.0.1:$admin_port/metrics
    Console   http://127.0.0.1:$console_port/   (attacks, top IPs and paths, grey and deny lists)
  Ctrl-C stops all three.

MSG
wait -n $app $analytics $proxy
