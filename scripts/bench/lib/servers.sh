# Server lifecycle for the benchmark scripts (sourced, after ROOT, LOG and CLIENT_CPU are set):
# pin this shell (so wrk, curl and probes) to CLIENT_CPU, start a server pinned to other CPUs,
# wait for its first 200, stop exactly the PID that was started.

PINNED=no
if [[ $(nproc --all) -ge 2 ]] && taskset -pc "$CLIENT_CPU" $$ >/dev/null 2>&1; then PINNED=yes; fi
pin() { if [[ $PINNED == yes ]]; then echo "taskset -c $1"; fi; }

# cpus command: a bash command run from the repository root that ends by exec'ing the server, so
# the PID held in $PID is the server's own.
PID=""
start() {
  (cd "$ROOT" && exec $(pin "$1") bash -c "$2") >>"$LOG" 2>&1 &
  PID=$!
}

# url [seconds]: wait (30 s at most by default) for a 200; fails early if the server died.
ready() {
  for _ in $(seq $(( ${2:-30} * 20 ))); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$1") == 200 ]] && return 0
    kill -0 "$PID" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# Only ever the PID we started: TERM, then KILL after 15 s.
stop() {
  [[ -z $PID ]] && return 0
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=""
}
