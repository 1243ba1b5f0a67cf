#!/usr/bin/env bash
# The read path and the load at scale: the Thailand example and a generated network of 150,000 figures
# (100 organisations, 600 indicators, ten yearly periods), measured in one run. For each store: the time
# and peak memory of `mignet load` into a fresh SQLite file, every public page and API read under load
# (wrk, 64 connections: requests/s, p99, size of the answer), and a one-figure edit through the API
# (creating a draft figure, then changing it, each request timed). Writes bench/results/scale.md and
# prints it.
#
# Usage: bench/scale/run.sh [connections] [seconds]
# MIGNET_BENCH_BIN: a mignet binary built earlier (to compare builds); by default the release build.
# Needs wrk, curl, jq and GNU time (Debian packages; installed when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
conns=${1:-64}
secs=${2:-10}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v jq >/dev/null || need+=(jq)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
bin=${MIGNET_BENCH_BIN:-target/release/mignet}
[ -n "${MIGNET_BENCH_BIN:-}" ] || cargo build --release --quiet -p mignet
bin=$(realpath "$bin")
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

# The generated network is kept between runs (bench/data is ignored by git).
net=bench/data/network-150k
if [ ! -f "$net/network.toml" ]; then
  python3 bench/scale/gen_network.py "$net" --orgs 100 --indicators 600 --periods 10 --per-org 150 --open-last
fi

out=bench/results/scale.md
mkdir -p bench/results
port=18090

# load NAME DIR: times `mignet load DIR` into a fresh SQLite file $work/NAME.db.
load() {
  /usr/bin/time -v "$bin" --db "$work/$1.db" load "$2" >"$work/$1-load.txt" 2>"$work/$1-time.txt" || {
    cat "$work/$1-load.txt" "$work/$1-time.txt" >&2
    exit 1
  }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/$1-time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2 / 1024}' "$work/$1-time.txt")
  echo "| $1 | $wall | $rss |"
}

# serve NAME: starts `mignet serve` on the store NAME and waits until it answers.
serve() {
  "$bin" --db "$work/$1.db" serve --addr 127.0.0.1:$port >"$work/$1-serve.log" 2>&1 &
  server=$!
  for _ in $(seq 300); do curl -sf -o /dev/null http://127.0.0.1:$port/healthz && return 0; sleep 0.1; done
  cat "$work/$1-serve.log" >&2
  exit 1
}

stop() {
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}

# measure PATH [header]: one row of the table, after one request that warms the caches.
measure() {
  local url="http://127.0.0.1:$port$1" h=()
  [ -n "${2:-}" ] && h=(-H "$2")
  local size code
  read -r code size < <(curl -s "${h[@]}" -o /dev/null -w '%{http_code} %{size_download}\n' "$url")
  wrk -t2 -c"$conns" -d"${secs}s" --latency "${h[@]}" "$url" >"$work/wrk.txt"
  local rps p50 p99 errs
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/wrk.txt")
  errs=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
  echo "| \`$1\` | $code | $size | $rps | $p50 | $p99 | ${errs:-0} |"
}

# edit NAME ORG: a focal point of ORG creates a draft figure in the open period and changes it, five
# times; prints the requests' times.
edit() {
  MIGNET_PASSWORD="correct horse battery staple 42" "$bin" --db "$work/$1.db" user add --email "bench@$1.org" \
    --name "Bench focal point" --role focal_point --org "$2" >/dev/null
  local token
  token=$("$bin" --db "$work/$1.db" user token --email "bench@$1.org" --name bench | tail -n1)
  serve "$1"
  local api="http://127.0.0.1:$port/api/v1" auth="Authorization: Bearer $token"
  local period indicator creates=() updates=()
  period=$(curl -sf "$api/periods" | jq -r '[.[] | select(.status == "open")][0].code')
  indicator=$(curl -sf "$api/framework" | jq -r '[.indicators[] | select(.kind == "count" and (.parts | length) == 0)][0].code')
  for i in 1 2 3 4 5; do
    local body created id version t
    body=$(jq -nc --arg i "$indicator" --arg o "$2" --argjson v "$((100 + i))" '{indicator: $i, organisations: [$o], value: $v}')
    created=$(curl -s -w '\n%{time_total}' -H "$auth" -H 'Content-Type: application/json' -d "$body" "$api/periods/$period/figures")
    t=$(tail -n1 <<<"$created")
    creates+=("$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')")
    id=$(head -n1 <<<"$created" | jq -r .id)
    version=$(head -n1 <<<"$created" | jq -r .version)
    [ "$id" != null ] || { echo "creating a figure failed: $created" >&2; exit 1; }
    body=$(jq -nc --arg i "$indicator" --arg o "$2" --argjson n "$version" '{version: $n, indicator: $i, organisations: [$o], value: 7}')
    t=$(curl -s -o /dev/null -w '%{time_total}' -X PUT -H "$auth" -H 'Content-Type: application/json' -d "$body" "$api/periods/$period/figures/$id")
    updates+=("$(awk -v t="$t" 'BEGIN {printf "%.1f", t * 1000}')")
  done
  echo "| $1 | ${creates[*]} | ${updates[*]} |"
  echo "$token" >"$work/$1.token"
  stop
}

# reads NAME: every public page and API read of the store NAME.
reads() {
  serve "$1"
  local api="http://127.0.0.1:$port/api/v1" p fig ind
  p=$(curl -sf "$api/periods" | jq -r '[.[] | select(.status == "closed")][0].code')
  fig=$(curl -sf "$api/periods/$p/figures" | jq -r 'if type == "array" then .[0].id else .items[0].id end')
  ind=$(curl -sf "$api/periods/$p/figures/$fig" | jq -r .indicator)
  echo
  echo "### $1 (period $p, figure $fig, indicator $ind)"
  echo
  echo "| read | status | bytes | requests/s | p50 | p99 | non-2xx |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for path in / "/?period=$p" /indicators "/indicators/$ind" "/figures/$p/$fig" "/sources?period=$p" \
    /pledges /groups /gcm /sdg "/highlights/$p" "/map/$p.svg" \
    /api/v1/network /api/v1/framework /api/v1/periods "/api/v1/periods/$p/figures" \
    "/api/v1/periods/$p/figures/$fig" /api/v1/openapi.json; do
    measure "$path"
  done
  measure "/api/v1/periods/$p/findings" "Authorization: Bearer $(cat "$work/$1.token")"
  echo
  echo "Server resident memory after these reads: $(ps -o rss= -p "$server" | awk '{printf "%.0f MB", $1 / 1024}')."
  stop
}

{
  echo "# Scale benchmark ($(date -u +%Y-%m-%d\ %H:%M) UTC, $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo
  echo "Binary: $bin. Load average before: $(cut -d' ' -f1-3 /proc/loadavg). wrk -t2 -c$conns -d${secs}s on loopback."
  echo "The network: $(find "$net/periods" -name figures.toml | xargs grep -c '^\[\[figure\]\]' | awk -F: '{n += $2} END {print n}') figures, $(du -sh "$net" | cut -f1)."
  echo
  echo "## mignet load into a fresh SQLite file"
  echo
  echo "| store | wall time | peak RSS |"
  echo "|---|---:|---:|"
  load thailand examples/thailand-2022
  load network-150k "$net"
  echo
  echo "## One-figure edit through the API (ms per request, five of each)"
  echo
  echo "| store | create (POST) | change (PUT) |"
  echo "|---|---|---|"
  edit thailand IOM
  edit network-150k ORG000
  echo
  echo "## Public reads"
  reads thailand
  reads network-150k
  echo
  echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} | tee "$out"
