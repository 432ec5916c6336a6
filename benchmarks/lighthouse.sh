#!/usr/bin/env bash
# Lighthouse (mobile preset) against the built site, served with gzip on 127.0.0.1 only.
# Prints, for the module home and the lesson, the four category scores of the median
# of RUNS runs (default 5; Lighthouse's own advice, its scores vary from run to run),
# its paint and blocking times, and the spread of performance scores.
# A benchmark: it prints figures and never fails on them.
#   bash benchmarks/lighthouse.sh        (or: make lighthouse)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
SITE=$(mktemp -d)
REPORTS=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$SITE" "$REPORTS"' EXIT

(cd benchmarks && npm ci --no-audit --no-fund --loglevel=error)
SITE_URL="http://127.0.0.1:$PORT/" NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir "$SITE"
$PY benchmarks/serve_gzip.py "$SITE" "$PORT" &
SERVER=$!
sleep 1

RUNS=${RUNS:-5}
echo "Lighthouse $(benchmarks/node_modules/.bin/lighthouse --version), mobile preset, median of $RUNS runs, $(date +%F), $(nproc) cores"
for page in "" "lessons/latest-progress/"; do
  url="http://127.0.0.1:$PORT/$page"
  for run in $(seq "$RUNS"); do
    CHROME_PATH=/usr/bin/chromium benchmarks/node_modules/.bin/lighthouse "$url" --quiet \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      --output=json --output-path="$REPORTS/run-$run.json" >/dev/null
  done
  (cd benchmarks && node lighthouse_median.mjs "/$page" "$REPORTS"/run-*.json)
done
