#!/usr/bin/env bash
# Reinhardt's benchmark: `serve` with coffeehouse.settings.load_testing against bare Fastify + eta
# (the baseline), raw node:http and Django 3.2 + gunicorn, all serving the same coffeehouse page.
#
#   npm run bench                          # full run: ROUNDS=8 DURATION=3s (about 15 minutes)
#   ROUNDS=1 DURATION=2s npm run bench     # quick mode: checks the harness, numbers are noisy
#   ONLY='reinhardt fastify-eta' npm run bench
#
# Every peer is started once (server pinned to SERVER_CPU), waited for (a 200) and warmed on every
# path; they all stay up. Rounds are interleaved finely: in each round every path is run against
# every peer in turn, so the numbers compared with each other are taken seconds apart and a slow
# spell of a shared machine hurts all peers alike; the peers' order moves by one each round.
# Many short rounds rather than a few long ones: the report also gives the ratio to the baseline
# round by round (median and range), which shows how firm each verdict is.
# Peak RSS is read at the end, over everything a server served, before they are stopped.
# Then cold start (spawn -> first 200 on the rendered page), COLD_RUNS times, also interleaved.
# Writes BENCHMARKS.md and benchmarks.svg at the repository root (lib/report.mjs).
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd ../.. && pwd)

ROUNDS=${ROUNDS:-8}
DURATION=${DURATION:-3s}
WARMUP=${WARMUP:-1s}
CONNS=${CONNS:-64}
COLD_RUNS=${COLD_RUNS:-5}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
URL_PATHS=${URL_PATHS:-"/drinks/ /hello/ /missing/ /static/css/site.css"}
WORK=${WORK:-/tmp/rh-bench}
OUT_MD=${OUT_MD:-$ROOT/BENCHMARKS.md}
OUT_SVG=${OUT_SVG:-$ROOT/benchmarks.svg}

need() { # command, Debian package
  command -v "$1" >/dev/null && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing $2 (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >/dev/null
  else
    echo "missing $1: run 'sudo apt-get install $2' (Debian/Ubuntu) and start again" >&2
    exit 1
  fi
}
need wrk wrk
need taskset util-linux
need curl curl
HAVE_DJANGO=yes
if ! /usr/bin/python3 -c 'import django' 2>/dev/null || ! command -v gunicorn >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y python3-django gunicorn >/dev/null || HAVE_DJANGO=no
  else
    echo "Django 3.2 + gunicorn missing ('sudo apt-get install python3-django gunicorn'): the Django row is skipped" >&2
    HAVE_DJANGO=no
  fi
fi

mkdir -p "$WORK"
LOG=$WORK/servers.log
: >"$LOG"
# The peers read the very data the coffeehouse renders (drinks/data.ts), exported once as JSON.
(cd "$ROOT" && node --import reinhardt/register --input-type=module \
  -e "import { DRINKS } from './example-site/drinks/data.ts'; process.stdout.write(JSON.stringify(DRINKS));") >"$WORK/drinks.json"
# Reinhardt serves collected static files itself (SERVE_STATIC_ROOT): collect into a folder of our own.
export DRINKS_JSON=$WORK/drinks.json COFFEEHOUSE_STATIC_ROOT=$WORK/static COFFEEHOUSE_SERVE_STATIC=1
(cd "$ROOT" && node --import reinhardt/register example-site/manage.ts collectstatic --noinput --clear -v 0 \
  --settings coffeehouse.settings.load_testing)

# The production way is the build (npm run build: dist/, no loader); the tsx row shows what the
# loader costs.
(cd "$ROOT" && npm run --silent build >/dev/null)
# Every Node peer runs without V8's memory reducer. On this Node (V8 11.3) the reducer's
# memory-reducing full GC, which comes once per process at a time of its own (about 105 s after
# the start for Reinhardt, minutes later for another peer), leaves the object literals of Node's
# own process.nextTick going through the runtime for the rest of the process's life: 35k-40k
# instructions a request more on /hello/ for every Node peer (scripts/bench/instructions.sh
# AGED=1: reinhardt-nolog 67k -> 110k, fastify-eta 53k -> 90k). Struck at different rounds, the
# peers were compared in different states (run 16: reinhardt from its second round, fastify-eta
# from its sixth). Cluster workers inherit the flag.
NODE="node --no-memory-reducer"
SERVE="exec $NODE dist/example-site/manage.js serve --settings coffeehouse.settings.load_testing"
SERVE_TSX="exec $NODE --import reinhardt/register example-site/manage.ts serve --settings coffeehouse.settings.load_testing"
# name|cpus|port|command: a bash command run from the repository root that ends by exec'ing the
# server, so the PID we hold is the server's own.
PEERS=(
  "reinhardt|$SERVER_CPU|8201|$SERVE 127.0.0.1:8201"
  "reinhardt-nolog|$SERVER_CPU|8207|COFFEEHOUSE_ACCESS_LOG=0 $SERVE 127.0.0.1:8207"
  "reinhardt-2w|$SERVER_CPU,$CLIENT_CPU|8202|$SERVE --workers 2 127.0.0.1:8202"
  "reinhardt-tsx|$SERVER_CPU|8206|$SERVE_TSX 127.0.0.1:8206"
  "fastify-eta|$SERVER_CPU|8203|PORT=8203 exec $NODE scripts/bench/peers/fastify-eta/server.mjs"
  "express-ejs|$SERVER_CPU|8208|PORT=8208 NODE_ENV=production exec $NODE scripts/bench/peers/express-ejs/server.mjs"
  "node-http|$SERVER_CPU|8204|PORT=8204 exec $NODE scripts/bench/peers/node-http/server.mjs"
)
[[ $HAVE_DJANGO == yes ]] && PEERS+=("django-gunicorn|$SERVER_CPU|8205|cd scripts/bench/peers/django && exec gunicorn --workers 1 --bind 127.0.0.1:8205 benchsite.wsgi")
if [[ -n ${ONLY:-} ]]; then
  kept=()
  for p in "${PEERS[@]}"; do [[ " $ONLY " == *" ${p%%|*} "* ]] && kept+=("$p"); done
  PEERS=("${kept[@]}")
fi

# Pin this script (so wrk, curl and the cold-start probe) to CLIENT_CPU; servers go to SERVER_CPU.
source "$BENCH/lib/servers.sh"

LOAD=$WORK/load.tsv
COLD=$WORK/cold.tsv
printf 'round\tpeer\tpath\trps\tp50_ms\tp99_ms\trequests\tnon2xx\terrors\tpeak_rss_kb\n' >"$LOAD"
printf 'run\tpeer\tms\n' >"$COLD"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# Every peer's PID while it is up, by name; stop_all stops exactly those.
declare -A UP=()
stop_all() {
  local up
  for up in "${!UP[@]}"; do PID=${UP[$up]}; stop; done
  UP=()
  stop
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM
rss_kb() { # VmHWM of the server and its children (cluster or gunicorn workers, tsx's esbuild)
  local sum=0 kb
  for p in "$1" $(pgrep -P "$1" || true); do
    kb=$(awk '/^VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    sum=$((sum + ${kb:-0}))
  done
  echo "$sum"
}
bench() { # duration url
  wrk -t1 -c"$CONNS" -d"$1" -s "$BENCH/lib/result.lua" "$2" | awk '/^BENCH/ {print $2, $3, $4, $5, $6, $7}'
}

T0=$(date +%s)
log "peers: ${PEERS[*]%%|*}; rounds=$ROUNDS duration=$DURATION conns=$CONNS pinned=$PINNED"
# Start and warm every peer (see the top of this file); an idle server uses no CPU.
RUNNING=()
for peer in "${PEERS[@]}"; do
  IFS='|' read -r name cpus port cmd <<<"$peer"
  start "$cpus" "$cmd"
  if ! ready "http://127.0.0.1:$port/drinks/" 30; then log "!! $name did not start (see $LOG)"; stop; continue; fi
  UP[$name]=$PID
  PID=""
  for path in $URL_PATHS; do bench "$WARMUP" "http://127.0.0.1:$port$path" >/dev/null; done
  RUNNING+=("$peer")
done
ROWS=()
n=${#RUNNING[@]}
for round in $(seq "$ROUNDS"); do
  for path in $URL_PATHS; do
    for i in $(seq 0 $((n - 1))); do
      IFS='|' read -r name cpus port cmd <<<"${RUNNING[$(( (i + round - 1) % n ))]}"
      read -r rps p50 p99 reqs non2xx errs <<<"$(bench "$DURATION" "http://127.0.0.1:$port$path")"
      ROWS+=("$round	$name	$path	$rps	$p50	$p99	$reqs	$non2xx	$errs")
      log "round $round $name $path: $rps req/s, p99 $p99 ms"
    done
  done
done
declare -A RSS=()
for name in "${!UP[@]}"; do RSS[$name]=$(rss_kb "${UP[$name]}"); done
stop_all
for row in "${ROWS[@]}"; do
  IFS=$'\t' read -r _ name _ <<<"$row"
  printf '%s\t%s\n' "$row" "${RSS[$name]}" >>"$LOAD"
done

for run in $(seq "$COLD_RUNS"); do
  for peer in "${PEERS[@]}"; do
    IFS='|' read -r name cpus port cmd <<<"$peer"
    if ms=$(cd "$ROOT" && node "$BENCH/lib/coldstart.mjs" "http://127.0.0.1:$port/drinks/" 60 "exec $(pin "$cpus") bash -c '$cmd'" 2>>"$LOG"); then
      printf '%s\t%s\t%s\n' "$run" "$name" "$ms" >>"$COLD"
      log "cold start $run $name: $ms ms"
    else
      log "!! cold start of $name failed (see $LOG)"
    fi
  done
done

META=$WORK/meta.env
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "wall_s=$(( $(date +%s) - T0 ))"
  echo "rounds=$ROUNDS"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
  echo "conns=$CONNS"
  echo "cold_runs=$COLD_RUNS"
  echo "pinned=$PINNED"
  echo "server_cpu=$SERVER_CPU"
  echo "client_cpu=$CLIENT_CPU"
  echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu=$(nproc --all) x $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "node=$(node --version)"
  echo "django=$(/usr/bin/python3 -c 'import django; print(django.get_version())' 2>/dev/null || echo n/a)"
  echo "gunicorn=$(gunicorn --version 2>/dev/null | awk '{print $NF}' | tr -d '()' || echo n/a)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "quick=$([[ $ROUNDS == 1 ]] && echo yes || echo no)"
} >"$META"
node "$BENCH/lib/report.mjs" "$META" "$LOAD" "$COLD" "$OUT_MD" "$OUT_SVG"
log "wrote $OUT_MD and $OUT_SVG in $(( $(date +%s) - T0 )) s (raw rows in $WORK)"
