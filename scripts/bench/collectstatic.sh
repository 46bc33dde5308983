#!/usr/bin/env bash
# collectstatic with a content-hashing manifest storage on the same generated tree:
# Reinhardt ('manifest') against Django 3.2 (ManifestStaticFilesStorage, Debian's python3-django).
# First run into an empty STATIC_ROOT, then a re-run with nothing changed; each ROUNDS times.
#   scripts/bench/collectstatic.sh            # 5,000 files, 3 rounds
#   FILES=500 ROUNDS=1 scripts/bench/collectstatic.sh
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FILES=${FILES:-5000}
ROUNDS=${ROUNDS:-3}
OUT=${OUT-$ROOT/BENCHMARKS.md}   # OUT= (empty) prints only
WORK=$(mktemp -d /tmp/rh-collectstatic.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import django' 2>/dev/null || { echo "needs Debian's python3-django: run scripts/setup-system.sh" >&2; exit 1; }

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

# Django project
mkdir -p "$WORK/dj"
cat >"$WORK/dj/djbench_settings.py" <<PY
SECRET_KEY = 'bench'
INSTALLED_APPS = ['django.contrib.staticfiles']
STATIC_URL = '/static/'
STATICFILES_DIRS = ['$WORK/src']
STATIC_ROOT = '$WORK/dj-out'
STATICFILES_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'
PY
# Reinhardt project (the framework linked in, as startproject does outside a workspace)
mkdir -p "$WORK/rh/bench" "$WORK/rh/node_modules"
ln -s "$ROOT/framework" "$WORK/rh/node_modules/reinhardt"
echo '{ "type": "module" }' >"$WORK/rh/package.json"
cat >"$WORK/rh/bench/settings.ts" <<TS
export default {
  SECRET_KEY: 'bench-key-bench-key-bench-key-bench-key-bench-key-0',
  INSTALLED_APPS: ['reinhardt.contrib.staticfiles'],
  STATIC_URL: '/static/',
  STATICFILES_DIRS: ['$WORK/src'],
  STATIC_ROOT: '$WORK/rh-out',
  STATICFILES_STORAGE: 'manifest',
  STATICFILES_PRECOMPRESS: false,
};
TS

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
django() { (cd "$WORK/dj" && DJANGO_SETTINGS_MODULE=djbench_settings PYTHONPATH=. /usr/bin/python3 -m django collectstatic --noinput); }
reinhardt() { (cd "$WORK/rh" && node "$ROOT/framework/bin/reinhardt.js" collectstatic --noinput --settings bench.settings); }

declare -a DF DR RF RR
for r in $(seq "$ROUNDS"); do
  rm -rf "$WORK/dj-out" "$WORK/rh-out"
  DF+=("$(ms django)"); RF+=("$(ms reinhardt)")
  [[ -f "$WORK/dj-out/staticfiles.json" && -f "$WORK/rh-out/staticfiles.json" ]] || { echo "a collectstatic run failed: no staticfiles.json" >&2; exit 1; }
  DR+=("$(ms django)"); RR+=("$(ms reinhardt)")
  echo "round $r: django first ${DF[-1]} ms, re-run ${DR[-1]} ms; reinhardt first ${RF[-1]} ms, re-run ${RR[-1]} ms" >&2
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
df=$(median "${DF[@]}"); dr=$(median "${DR[@]}"); rf=$(median "${RF[@]}"); rr=$(median "${RR[@]}")
report=$(cat <<MD

## collectstatic, manifest storage, $count files ($(date -u +%Y-%m-%d) · \`scripts/bench/collectstatic.sh\`, $ROUNDS rounds, medians, wall time incl. process start)

| | first run | re-run, nothing changed | first ÷ re-run |
|---|---:|---:|---:|
| Reinhardt (\`manifest\`) | $rf ms | $rr ms | $(awk "BEGIN {printf \"%.1f\", $rf / $rr}")× |
| Django 3.2 (ManifestStaticFilesStorage) | $df ms | $dr ms | $(awk "BEGIN {printf \"%.1f\", $df / $dr}")× |
| Reinhardt vs Django | $(awk "BEGIN {printf \"%.2f\", $df / $rf}")× faster | $(awk "BEGIN {printf \"%.2f\", $dr / $rr}")× faster | |
MD
)
echo "$report"
if [[ -n $OUT ]]; then printf '%s\n' "$report" >>"$OUT"; fi
