#!/usr/bin/env bash
# `make run`: the demo app on 127.0.0.1:8081 behind `waf proxy` on 127.0.0.1:8080 (admin on
# 127.0.0.1:9901), embedded defaults, in block mode so attacks are visibly refused. Ctrl-C stops both.
set -euo pipefail
waf=${1:-build/release/waf}
app_port=${WAF_DEMO_APP_PORT:-8081}
proxy_port=${WAF_DEMO_PORT:-8080}
admin_port=${WAF_DEMO_ADMIN_PORT:-9901}

"$waf" demo-app --listen "127.0.0.1:$app_port" --log-format text &
app=$!
trap 'kill $app $proxy 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
"$waf" proxy --listen "127.0.0.1:$proxy_port" --upstream "127.0.0.1:$app_port" \
  --admin-listen "127.0.0.1:$admin_port" --mode block --access-log - --log-format text &
proxy=$!

cat <<MSG

  waf is protecting a demo app.
    Open      http://127.0.0.1:$proxy_port/
    Try       curl -i "http://127.0.0.1:$proxy_port/api/echo?q=blue+shoes"
    Attack    curl -i "http://127.0.0.1:$proxy_port/api/echo?file=../../etc/passwd"
    Metrics   curl http://127.0.0.1:$admin_port/metrics
  Ctrl-C stops both.

MSG
wait -n $app $proxy
