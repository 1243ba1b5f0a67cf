#!/usr/bin/env bash
# Lighthouse (npm, pinned to 12.2.3: 13 needs a newer Node) on the home, indicator, figure and
# Highlights pages of the demo, in its default mobile profile (a mid-range phone on a slow 4G
# connection, simulated), in English and in Thai. Prints each page's four scores and writes them,
# with the machine, to bench/results/lighthouse.md.
#
# Usage: bench/lighthouse/run.sh
# MIGNET_BENCH_BIN: a mignet binary built earlier; by default the demo profile's build.
# Needs Node and npm, and Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."
lh=target/lighthouse/node_modules/.bin/lighthouse
[ -x "$lh" ] || npm install --no-save --no-audit --no-fund --prefix target/lighthouse lighthouse@12.2.3 >/dev/null
bin=${MIGNET_BENCH_BIN:-target/demo/mignet}
[ -n "${MIGNET_BENCH_BIN:-}" ] || cargo build --profile demo --quiet -p mignet
bin=$(realpath "$bin")
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
port=18097
"$bin" --db "$work/demo.db" serve --demo --addr 127.0.0.1:$port >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 300); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz && break; sleep 0.2; done
chrome=$(command -v chromium || command -v chromium-browser)
out=bench/results/lighthouse.md
mkdir -p bench/results
{
  echo "Lighthouse 12.2.3, mobile profile (simulated throttling), $(date -u '+%Y-%m-%d %H:%M UTC'),"
  echo "$(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load average $(cut -d' ' -f1 /proc/loadavg) before the run; server: \`$(basename "$bin")\` (${bin#"$PWD/"}), SQLite, the demo."
  echo
  echo "| page | language | performance | accessibility | best practices | SEO |"
  echo "|---|---|---:|---:|---:|---:|"
} >"$out"
for lang in en th; do
  for page in / /indicators/P1.O1.I02 /figures/2022/F-PFA /highlights/2022; do
    "$lh" "http://127.0.0.1:$port$page" --quiet --output=json --output-path="$work/lh.json" \
      --extra-headers="{\"Cookie\": \"mignet_lang=$lang\"}" \
      --chrome-path="$chrome" --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$work/lh.err" || {
      cat "$work/lh.err" >&2
      exit 1
    }
    python3 - "$work/lh.json" "$page" "$lang" >>"$out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]
score = lambda k: round(c[k]["score"] * 100)
print(f"| `{sys.argv[2]}` | {sys.argv[3]} | {score('performance')} | {score('accessibility')} | {score('best-practices')} | {score('seo')} |")
failed = [a for a in r["audits"].values() if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") in ("binary", "numeric") and a["id"] not in ("first-contentful-paint", "largest-contentful-paint", "speed-index", "total-blocking-time", "interactive", "max-potential-fid")]
for a in failed[:6]:
    print(f"<!-- {sys.argv[2]} {sys.argv[3]}: {a['id']} {a.get('score')} -->", file=sys.stderr)
PY
  done
done
cat "$out"
