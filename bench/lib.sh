# Shared by the benchmark scripts (sourced): a work directory for nginx's files, the processes a
# run starts (append their PIDs to `pids`), all stopped and removed on exit, and a free port.
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
