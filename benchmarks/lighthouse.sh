#!/usr/bin/env bash
# Lighthouse (mobile preset) against the built site, served with gzip on 127.0.0.1 only.
# Prints the four category scores and the largest contentful paint for the
# module home and the lesson. A benchmark: it prints figures and never fails on them.
#   bash benchmarks/lighthouse.sh        (or: make lighthouse)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT=${PORT:-$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
SITE=$(mktemp -d)
REPORTS=$(mktemp -d)
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$SITE" "$REPORTS"' EXIT

(cd benchmarks && npm ci --no-audit --no-fund --loglevel=error)
SITE_URL="http://127.0.0.1:$PORT/" NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir "$SITE"
$PY benchmarks/serve_gzip.py "$SITE" "$PORT" &
SERVER=$!
sleep 1

echo "Lighthouse $(benchmarks/node_modules/.bin/lighthouse --version), mobile preset, $(date +%F), $(nproc) cores"
for page in "" "lessons/latest-progress/"; do
  url="http://127.0.0.1:$PORT/$page"
  CHROME_PATH=/usr/bin/chromium benchmarks/node_modules/.bin/lighthouse "$url" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
    --output=json --output-path="$REPORTS/report.json" >/dev/null
  $PY - "$REPORTS/report.json" "/$page" <<'PYTHON'
import json, sys
report = json.load(open(sys.argv[1]))
scores = {key: round(category["score"] * 100) for key, category in report["categories"].items()}
lcp = report["audits"]["largest-contentful-paint"]["numericValue"] / 1000
print(f"{sys.argv[2]:28} performance {scores['performance']:3}  accessibility {scores['accessibility']:3}"
      f"  best practices {scores['best-practices']:3}  SEO {scores['seo']:3}  LCP {lcp:.2f} s")
for key, category in report["categories"].items():
    for ref in category["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
            print(f"    {key}: {ref['id']} ({audit['score']}): {audit['title']}")
PYTHON
done
