#!/usr/bin/env bash
# DEBUG static serving: one file, /static/css/site.css, served by
#   fastify-static     bare Fastify + @fastify/static on the same folder (the baseline);
#   reinhardt-debug    createApp() with coffeehouse.settings.development (DEBUG true: STATIC_URL
#                      served from the finders through @fastify/static, behind the host check);
#   runserver          `manage.js runserver --noreload` on the same settings: the same app plus
#                      runserver's access log, a line per request (to a file here).
# Reinhardt runs from the build (npm run build), as `serve` is benchmarked.
#
#   scripts/bench/static-debug.sh                      # ROUNDS=3 DURATION=8s
#   ROUNDS=1 DURATION=2s scripts/bench/static-debug.sh # quick: checks the harness, numbers are noisy
#   OUT= scripts/bench/static-debug.sh                 # print the table only (default: put it in BENCHMARKS.md)
#
# Like run.sh: loopback only; servers pinned to SERVER_CPU and this script (so wrk) to CLIENT_CPU;
# rounds interleaved (round 1 runs every peer, then round 2...), each peer started afresh per
# round, warmed, then `wrk -t1 -c$CONNS -d$DURATION`; medians across rounds. Every wrk run is
# bounded by its duration, every start by READY_S seconds.
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$PWD
ROOT=$(cd ../.. && pwd)
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-2s}
CONNS=${CONNS:-64}
SERVER_CPU=${SERVER_CPU:-0}
CLIENT_CPU=${CLIENT_CPU:-1}
READY_S=${READY_S:-30}
URL_PATH=/static/css/site.css
OUT=${OUT-$ROOT/BENCHMARKS.md}   # OUT= (empty) prints only
WORK=$(mktemp -d /tmp/rh-static-debug.XXXXXX)

for tool in wrk taskset curl; do command -v "$tool" >/dev/null || { echo "missing $tool (Debian: apt-get install wrk util-linux curl)" >&2; exit 1; }; done
(cd "$ROOT" && npm run --silent build >/dev/null)
DIST=$ROOT/dist
STATIC_DIR=$DIST/example-site/static
cmp -s "$STATIC_DIR/css/site.css" "$ROOT/example-site/static/css/site.css" || { echo "the build's static folder is stale" >&2; exit 1; }

# name|port|command (lib/servers.sh start: run from the repository root, ending by exec'ing the server)
PEERS=(
  "fastify-static|8311|STATIC_DIR=$STATIC_DIR PORT=8311 exec node scripts/bench/peers/fastify-static/server.mjs"
  "reinhardt-debug|8312|PORT=8312 exec node scripts/bench/lib/debug-app.mjs $DIST"
  "runserver|8313|cd $DIST/example-site && exec node manage.js runserver 127.0.0.1:8313 --noreload --settings coffeehouse.settings.development"
)

LOG=$WORK/servers.log
source "$BENCH/lib/servers.sh"
trap 'stop; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
# req/s, p50 ms, p99 ms, non-2xx/3xx responses, socket errors (lib/result.lua's line, requests left out)
bench() { wrk -t1 -c"$CONNS" -d"$1" -s "$BENCH/lib/result.lua" "$2" | awk '/^BENCH/ {print $2, $3, $4, $6, $7}'; }

ROWS=$WORK/rows.tsv
: >"$ROWS"
for round in $(seq "$ROUNDS"); do
  for peer in "${PEERS[@]}"; do
    IFS='|' read -r name port cmd <<<"$peer"
    start "$SERVER_CPU" "$cmd"
    if ! ready "http://127.0.0.1:$port$URL_PATH" "$READY_S"; then echo "!! $name did not start (see below)" >&2; tail -20 "$LOG" >&2; stop; exit 1; fi
    bench "$WARMUP" "http://127.0.0.1:$port$URL_PATH" >/dev/null
    read -r rps p50 p99 non2xx errors <<<"$(bench "$DURATION" "http://127.0.0.1:$port$URL_PATH")"
    stop
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$non2xx" "$errors" >>"$ROWS"
    echo "round $round $name: $rps req/s, p99 $p99 ms, non-2xx $non2xx, socket errors $errors" >&2
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n {print $c}' "$ROWS" | median; }
base=$(col fastify-static 2)
table=""
for peer in "${PEERS[@]}"; do
  name=${peer%%|*}
  rps=$(col "$name" 2); p50=$(col "$name" 3); p99=$(col "$name" 4)
  spread=$(awk -F'\t' -v n="$name" '$1 == n {print $2}' "$ROWS" | sort -n | awk -v m="$rps" '{a[NR]=$1} END {printf "%.0f%%", (a[NR] - a[1]) / m * 100}')
  bad=$(awk -F'\t' -v n="$name" '$1 == n {s += $5 + $6} END {print s + 0}' "$ROWS")
  table+="| $name | $(printf '%.0f' "$rps" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta') | $(awk "BEGIN {printf \"%.2f\", $rps / $base}")× | $p50 | $p99 | $spread | $bad |"$'\n'
done
ratio=$(awk "BEGIN {printf \"%.2f\", $(col reinhardt-debug 2) / $base}")
ratio_rs=$(awk "BEGIN {printf \"%.2f\", $(col runserver 2) / $base}")
verdict() { awk "BEGIN {exit !($1 >= 0.9)}" && echo met || echo '**not met**'; }
report=$(cat <<MD
## DEBUG static serving, \`$URL_PATH\` ($(date -u +%Y-%m-%d) · \`scripts/bench/static-debug.sh\`, $ROUNDS rounds interleaved, medians)

\`wrk -t1 -c$CONNS -d$DURATION\` after a $WARMUP warm-up, loopback; servers on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU (pinned: $PINNED);
node $(node --version), load average at the end $(cut -d' ' -f1-3 /proc/loadavg). Reinhardt from the build. Spread = (max − min) / median.

| server | req/s | vs fastify-static | p50 ms | p99 ms | spread | non-2xx + socket errors |
|---|---:|---:|---:|---:|---:|---:|
$table
Target: DEBUG static serving at ≥ 0.9 of bare @fastify/static — createApp with DEBUG true: $ratio× ($(verdict "$ratio"));
runserver with its access log: $ratio_rs× ($(verdict "$ratio_rs")).
MD
)
echo "$report"
if [[ -n $OUT ]]; then printf '%s\n' "$report" | node "$BENCH/lib/put-section.mjs" "$OUT" 'DEBUG static serving'; fi
