#!/usr/bin/env bash
# User-space instructions a request costs, counted by valgrind's callgrind: the same number
# run after run (within about 1%), where req/s and CPU time on a shared VM move by 20% or more.
# For A/B tests of changes too small for wrk to see. It leaves out the kernel (the socket writes,
# about half of a request's CPU here), so its ratios are not req/s ratios.
#
#   scripts/bench/instructions.sh                 # /hello/ on reinhardt, reinhardt-nolog, fastify-eta
#   PATHS="/drinks/ /missing/" scripts/bench/instructions.sh
#   PEERS=reinhardt WARM=10000 COUNT=5000 scripts/bench/instructions.sh
#   ENTRY=/tmp/variant/example-site/manage.js PEERS=reinhardt scripts/bench/instructions.sh
#   PROFILE_DIR=/tmp/prof PEERS=reinhardt scripts/bench/instructions.sh   # and where they go
#   AGED=1 scripts/bench/instructions.sh          # after V8's memory-reducing GC (about 2 minutes a peer)
#
# Each peer starts under callgrind with counting off, gets WARM requests (so V8 has optimised the
# path), then counts COUNT requests on the same 64 connections (lib/fixed-requests.mjs) and is
# stopped.
# Reinhardt runs from the build (npm run build) with coffeehouse.settings.load_testing; needs
# valgrind (Debian's valgrind package) and the bench data of `npm run bench` (/tmp/rh-bench).
# A peer takes about a minute.
#
# PROFILE_DIR keeps each count's profile there (PEER-PATH.out, with node's --perf-basic-prof map
# PEER-PATH.map that names V8's generated code) and prints its costliest functions; read it further
# with lib/callgrind-jit.mjs (self, callers, callees).
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd ../.. && pwd)
PEERS=${PEERS:-reinhardt reinhardt-nolog fastify-eta}
PATHS=${PATHS:-/hello/}
WARM=${WARM:-10000}
COUNT=${COUNT:-5000}
DATA=${DATA:-/tmp/rh-bench}
READY_S=${READY_S:-300}
command -v valgrind >/dev/null || { echo "instructions.sh needs valgrind: apt-get install valgrind" >&2; exit 1; }
[ -f "$ROOT/dist/example-site/manage.js" ] || { echo "instructions.sh runs the build: npm run build" >&2; exit 1; }
[ -f "$DATA/drinks.json" ] || { echo "instructions.sh needs $DATA/drinks.json: run npm run bench once" >&2; exit 1; }
WORK=$(mktemp -d)
LOG=$WORK/servers.log
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
source "$BENCH/lib/servers.sh"
trap 'stop; rm -rf "$WORK"' EXIT
export DRINKS_JSON=$DATA/drinks.json COFFEEHOUSE_STATIC_ROOT=$DATA/static COFFEEHOUSE_SERVE_STATIC=1
# ENTRY: another build's manage.js (a copy of dist/ with one change, for an A/B of that change).
ENTRY=${ENTRY:-dist/example-site/manage.js}
SERVE="node $ENTRY serve --settings coffeehouse.settings.load_testing 127.0.0.1:8311"

PROFILE_DIR=${PROFILE_DIR:-}
PROFILE_TOP=${PROFILE_TOP:-25}
# AGED=1 counts a server as it runs after its first idle spell: after the warm-up the client
# waits until V8's memory reducer has made its memory-reducing full GC (about 105 s after the
# start, whether the server is busy or idle; it frees maps that optimised code embeds, which
# is deoptimised), warms up again and then counts. A server lives in that state for the rest of
# its life; a plain count measures its first minutes only (and `npm run bench`, whose Node peers
# run with --no-memory-reducer, the state without it).
AGED=${AGED:-}
AGED_WAIT_S=${AGED_WAIT_S:-300}
[ -z "$PROFILE_DIR" ] || mkdir -p "$PROFILE_DIR"

count() { # peer path port environment command (run from the repository root)
  local peer=$1 path=$2 port=$3 command=$5 valgrind="--tool=callgrind --instr-atstart=no --smc-check=all-non-file"
  if [ -n "$PROFILE_DIR" ]; then
    valgrind+=" --dump-instr=yes --compress-pos=no --compress-strings=no"
    # --perf-basic-prof also writes V8's own log, by default into the working directory.
    command="node --perf-basic-prof --no-logfile-per-isolate --logfile=$WORK/$peer-v8.log ${command#node }"
  fi
  # --trace-gc shows when the memory-reducing GC has been.
  [ -z "$AGED" ] || command="node --trace-gc ${command#node }"
  : >"$LOG"
  start "$SERVER_CPU" "$4 exec valgrind $valgrind --callgrind-out-file=$WORK/$peer.%p $command"
  ready "http://127.0.0.1:$port/hello/" "$READY_S" || { echo "$peer did not answer within $READY_S s; its output:" >&2; cat "$LOG" >&2; exit 1; }
  # One client for both: the COUNT requests reuse the warm connections (lib/fixed-requests.mjs
  # phases), so that opening connections and the re-optimisation it sets off are not counted.
  if [ -n "$AGED" ]; then
    # A warm-up of its own: its connections would not outlive the wait (keep-alive timeout).
    node "$BENCH/lib/fixed-requests.mjs" "$port" "$path" "$WARM" || { echo "the first warm-up failed" >&2; exit 1; }
    local waited=0
    until grep -q 'Mark-Compact (reduce)' "$LOG"; do
      sleep 2
      waited=$((waited + 2))
      [ "$waited" -lt "$AGED_WAIT_S" ] || { echo "$peer: no memory-reducing GC within $AGED_WAIT_S s" >&2; exit 1; }
    done
  fi
  coproc CLIENT { node "$BENCH/lib/fixed-requests.mjs" "$port" "$path" "$WARM+$COUNT"; }
  local line
  read -r line <&"${CLIENT[0]}" || { echo "the client stopped during the warm-up" >&2; exit 1; }
  callgrind_control -i on "$PID" >/dev/null 2>&1
  echo go >&"${CLIENT[1]}"
  wait "$CLIENT_PID" || { echo "the client failed" >&2; exit 1; }
  callgrind_control -d "$PID" >/dev/null 2>&1
  local ir
  ir=$(grep -h -m1 '^summary:' "$WORK/$peer.$PID".* | awk '{print $2}')
  local counted=$PID name
  name=$peer-$(echo "$path" | tr -c 'a-zA-Z0-9\n' '_')
  stop
  printf '%-18s %-10s %10d instructions a request\n' "$peer" "$path" $((ir / COUNT))
  if [ -n "$PROFILE_DIR" ]; then
    # The dump holds the COUNT requests; the file callgrind writes at exit, the shutdown.
    cp "$(grep -l -m1 '^desc: Trigger: dump' "$WORK/$peer.$counted".*)" "$PROFILE_DIR/$name.out"
    cp "/tmp/perf-$counted.map" "$PROFILE_DIR/$name.map" && rm -f "/tmp/perf-$counted.map"
    node "$BENCH/lib/callgrind-jit.mjs" self "$PROFILE_DIR/$name.out" "$PROFILE_DIR/$name.map" "$COUNT" "$PROFILE_TOP"
  fi
  rm -f "$WORK/$peer".*
}

for path in $PATHS; do
  for peer in $PEERS; do
    case $peer in
      reinhardt) count "$peer" "$path" 8311 "" "$SERVE" ;;
      reinhardt-nolog) count "$peer" "$path" 8311 COFFEEHOUSE_ACCESS_LOG=0 "$SERVE" ;;
      fastify-eta) count "$peer" "$path" 8312 PORT=8312 "node scripts/bench/peers/fastify-eta/server.mjs" ;;
      *) echo "unknown peer $peer (reinhardt, reinhardt-nolog, fastify-eta)" >&2; exit 2 ;;
    esac
  done
done
