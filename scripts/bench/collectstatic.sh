#!/usr/bin/env bash
# collectstatic with a content-hashing manifest storage on the same generated tree:
# Reinhardt ('manifest') against Django 3.2 (ManifestStaticFilesStorage, Debian's python3-django).
# First run into an empty STATIC_ROOT, then a re-run with nothing changed; each ROUNDS times,
# interleaved (the order of the peers alternates between rounds), medians.
#   scripts/bench/collectstatic.sh            # 5,000 files (+1,250 the CSS refers to), 3 rounds
#   FILES=500 ROUNDS=1 scripts/bench/collectstatic.sh
#   OUT= scripts/bench/collectstatic.sh       # print the table only (default: put it in BENCHMARKS.md)
#
# Reinhardt runs two ways: `npx reinhardt collectstatic` on a TypeScript project (framework/bin,
# the tsx loader: what the DESIGN promises without a build step), and a compiled project on the
# build (`npm run build`; manage.js importing dist/, settings.js, no loader), as `serve` is
# benchmarked. Wall times include starting the process. The in-process table times the
# collection call alone, in a fresh process each time, after the interpreter, the framework and
# the settings are loaded: Reinhardt's collectStatic(), Django's call_command('collectstatic')
# with the command already imported.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FILES=${FILES:-5000}
ROUNDS=${ROUNDS:-3}
OUT=${OUT-$ROOT/BENCHMARKS.md}   # OUT= (empty) prints only
WORK=$(mktemp -d /tmp/rh-collectstatic.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import django' 2>/dev/null || { echo "needs Debian's python3-django: run scripts/setup-system.sh" >&2; exit 1; }
(cd "$ROOT" && npm run --silent build >/dev/null)

# The tree: CSS files that reference images and each other (so both storages rewrite and re-hash), JS, SVG.
/usr/bin/python3 - "$WORK/src" "$FILES" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"pkg{i % 50:02d}")
    os.makedirs(d, exist_ok=True)
    kind = i % 4
    if kind == 0:
        body = f".c{i} {{ background: url('img{i + 1}.svg') no-repeat; }}\n" + "/* padding */\n" * 20
        open(os.path.join(d, f"style{i}.css"), "w").write(body)
    elif kind == 1:
        open(os.path.join(d, f"img{i}.svg"), "w").write(f'<svg xmlns="http://www.w3.org/2000/svg"><text>{i}</text></svg>\n')
    else:
        open(os.path.join(d, f"app{i}.js"), "w").write(f"export const v{i} = {i};\n" * 10)
PY
# In each package the CSS refers to the next file's name; make every referenced image exist.
shopt -s nullglob
for d in "$WORK"/src/pkg*; do for css in "$d"/style*.css; do
  ref=$(sed -n "s/.*url('\([^']*\)').*/\1/p" "$css"); [[ -e "$d/$ref" ]] || echo '<svg xmlns="http://www.w3.org/2000/svg"/>' >"$d/$ref"
done; done
count=$(find "$WORK/src" -type f | wc -l)

# Every run collects into a folder of its own (STATIC_ROOT from $OUTDIR), and no output is deleted
# until the end: on this machine's ext4 the inodes of files deleted in the last minutes make new
# ones slow to allocate (the allocator steps over each one), so removing the previous round's
# 25,000 files just before a first run made it pay for them — cp -r of the tree varied 20-fold.
settings_body() {
  cat <<JS
  SECRET_KEY: 'bench-key-bench-key-bench-key-bench-key-bench-key-0',
  INSTALLED_APPS: ['reinhardt.contrib.staticfiles'],
  STATIC_URL: '/static/',
  STATICFILES_DIRS: ['$WORK/src'],
  STATIC_ROOT: process.env.OUTDIR,
  STATICFILES_STORAGE: 'manifest',
  STATICFILES_PRECOMPRESS: false,
JS
}
# Reinhardt, TypeScript project (the framework linked in, as startproject does outside a workspace)
mkdir -p "$WORK/rh/bench" "$WORK/rh/node_modules"
ln -s "$ROOT/framework" "$WORK/rh/node_modules/reinhardt"
echo '{ "type": "module" }' >"$WORK/rh/package.json"
{ echo 'export default {'; settings_body; echo '};'; } >"$WORK/rh/bench/settings.ts"
# Reinhardt, compiled project on the build
mkdir -p "$WORK/rhb/bench" "$WORK/rhb/node_modules"
ln -s "$ROOT/dist/framework" "$WORK/rhb/node_modules/reinhardt"
echo '{ "type": "module" }' >"$WORK/rhb/package.json"
{ echo 'export default {'; settings_body; echo '};'; } >"$WORK/rhb/bench/settings.js"
cat >"$WORK/rhb/manage.js" <<'JS'
import { executeFromCommandLine } from 'reinhardt/management';
process.exitCode = await executeFromCommandLine({ argv: process.argv.slice(2), baseDir: process.cwd(), progName: 'manage.js' });
JS
# Django project
mkdir -p "$WORK/dj"
cat >"$WORK/dj/djbench_settings.py" <<PY
import os
SECRET_KEY = 'bench'
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_URL = '/static/'
STATICFILES_DIRS = ['$WORK/src']
STATIC_ROOT = os.environ['OUTDIR']
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
PY
cat >"$WORK/dj/inprocess.py" <<'PY'
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ['DJANGO_SETTINGS_MODULE'] = 'djbench_settings'
import django
django.setup()
from django.core.management import call_command, load_command_class
command = load_command_class('django.contrib.staticfiles', 'collectstatic')
t0 = time.perf_counter()
call_command(command, interactive=False, verbosity=0)
print(round((time.perf_counter() - t0) * 1000))
PY

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
# peer command: each runs one collectstatic into $OUTDIR
tsx() { (cd "$WORK/rh" && node "$ROOT/framework/bin/reinhardt.js" collectstatic --noinput --settings bench.settings); }
build() { (cd "$WORK/rhb" && node manage.js collectstatic --noinput --settings bench.settings); }
django() { (cd "$WORK/dj" && DJANGO_SETTINGS_MODULE=djbench_settings PYTHONPATH=. /usr/bin/python3 -m django collectstatic --noinput); }
inproc_rh() { node "$ROOT/scripts/bench/lib/collect-inprocess.mjs" "$ROOT/dist/framework" "$WORK/rhb" bench.settings; }
inproc_dj() { /usr/bin/python3 "$WORK/dj/inprocess.py"; }

PEERS=(tsx build django)
declare -A FIRST RERUN IFIRST IRERUN
check() { [[ -f "$1/staticfiles.json" ]] || { echo "a collectstatic run failed: no $1/staticfiles.json" >&2; exit 1; }; }
for r in $(seq "$ROUNDS"); do
  order=("${PEERS[@]}")
  (( r % 2 == 0 )) && order=(django build tsx)
  line="round $r:"
  for p in "${order[@]}"; do
    export OUTDIR="$WORK/out-$p-$r"
    FIRST[$p]+=" $(ms "$p")"; check "$OUTDIR"
    RERUN[$p]+=" $(ms "$p")"
    line+=" $p ${FIRST[$p]##* }/${RERUN[$p]##* } ms"
  done
  for p in rh dj; do
    export OUTDIR="$WORK/out-inproc-$p-$r"
    IFIRST[$p]+=" $(inproc_$p)"; check "$OUTDIR"
    IRERUN[$p]+=" $(inproc_$p)"
    line+="; in-process $p ${IFIRST[$p]##* }/${IRERUN[$p]##* } ms"
  done
  echo "$line" >&2
done
median() { printf '%s\n' $@ | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
div() { awk "BEGIN {printf \"%.${3:-1}f\", $1 / $2}"; }
for p in "${PEERS[@]}"; do declare "f_$p=$(median ${FIRST[$p]})" "r_$p=$(median ${RERUN[$p]})"; done
for p in rh dj; do declare "if_$p=$(median ${IFIRST[$p]})" "ir_$p=$(median ${IRERUN[$p]})"; done
# A sanity line for the table: the same hashed names as Django's?
same=$(/usr/bin/python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['paths']; b=json.load(open(sys.argv[2]))['paths']; print('identical' if a==b else 'DIFFERENT')" "$WORK/out-build-1/staticfiles.json" "$WORK/out-django-1/staticfiles.json")
report=$(cat <<MD
## collectstatic, manifest storage, $count files ($(date -u +%Y-%m-%d) · \`scripts/bench/collectstatic.sh\`, $ROUNDS rounds interleaved, medians)

Wall time, including process start. First run into an empty STATIC_ROOT, then a re-run with nothing
changed. Hashed names in staticfiles.json compared with Django's: $same.

| | first run | re-run, nothing changed | first ÷ re-run | Django ÷ this, first run | Django ÷ this, re-run |
|---|---:|---:|---:|---:|---:|
| Reinhardt, \`npx reinhardt\` on TypeScript (tsx loader) | $f_tsx ms | $r_tsx ms | $(div "$f_tsx" "$r_tsx")× | $(div "$f_django" "$f_tsx" 2)× | $(div "$r_django" "$r_tsx" 2)× |
| Reinhardt, compiled project on the build (no loader) | $f_build ms | $r_build ms | $(div "$f_build" "$r_build")× | $(div "$f_django" "$f_build" 2)× | $(div "$r_django" "$r_build" 2)× |
| Django 3.2 (ManifestStaticFilesStorage) | $f_django ms | $r_django ms | $(div "$f_django" "$r_django")× | | |

In-process: the collection call alone, each in a fresh process after start-up, imports and settings.

| | first run | re-run, nothing changed | first ÷ re-run |
|---|---:|---:|---:|
| Reinhardt \`collectStatic()\` (build) | $if_rh ms | $ir_rh ms | $(div "$if_rh" "$ir_rh")× |
| Django \`call_command('collectstatic')\` | $if_dj ms | $ir_dj ms | $(div "$if_dj" "$ir_dj")× |
MD
)
echo "$report"
if [[ -n $OUT ]]; then printf '%s\n' "$report" | node "$ROOT/scripts/bench/lib/put-section.mjs" "$OUT" 'collectstatic, manifest storage'; fi
