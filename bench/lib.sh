# Shared by the benchmark scripts (sourced): their arguments and knobs, a work directory for nginx's
# files, the processes a run starts (append their PIDs to `pids`), all stopped and removed on exit,
# and a free port.
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "/tmp/${BENCH_NAME:-waf-bench}.XXXXXX")
chmod 755 "$work"  # nginx workers drop to an unprivileged user when started as root
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# WAF_BIN and the knobs every wrk benchmark takes; a bad argument or a one-CPU machine exits 2
# naming what is wrong (load generator and proxy need cores of their own).
bench_args() {
  [ $# -eq 1 ] || { echo "usage: $0 WAF_BIN   (env: BENCH_DURATION=10 BENCH_CONNECTIONS=50 BENCH_ROUNDS=3)" >&2; exit 2; }
  waf=$(realpath "$1")
  [ -x "$waf" ] || { echo "bench: $1 is not an executable" >&2; exit 2; }
  duration=${BENCH_DURATION:-10}
  connections=${BENCH_CONNECTIONS:-50}
  rounds=${BENCH_ROUNDS:-3}
  if [ "$(nproc)" -lt 2 ]; then echo "bench: needs 2 CPUs (load generator and proxy on separate cores)" >&2; exit 2; fi
}

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "bench: '$tool' not found (scripts/deps.sh bench)" >&2; exit 2; }
  done
}
