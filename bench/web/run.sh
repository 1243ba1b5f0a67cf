#!/usr/bin/env bash
# The public overview page under load on loopback, side by side with nginx serving the same page saved
# as a static file. Needs wrk and nginx (Debian packages; installed when missing). Writes
# bench/results/web.md and prints it. Usage: bench/web/run.sh [connections] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
conns=${1:-64}
secs=${2:-15}
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
# MIGNET_BENCH_BIN: a mignet binary built earlier (to compare builds); by default the release build.
bin=${MIGNET_BENCH_BIN:-target/release/mignet}
[ -n "${MIGNET_BENCH_BIN:-}" ] || cargo build --release --quiet -p mignet
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
MIGNET_DB="$work/bench.db" "$bin" serve --demo --addr 127.0.0.1:18080 >"$work/serve.log" 2>&1 &
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:18080/ && break; sleep 0.1; done
mkdir -p "$work/www"
curl -sf http://127.0.0.1:18080/ -o "$work/www/index.html"
cat >"$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server { listen 127.0.0.1:18081; root $work/www; location / { try_files /index.html =404; } }
}
NGINX
nginx -c "$work/nginx.conf"
sleep 0.5
run() { # name url
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$2" >"$work/$1.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  echo "| $1 | $rps | $p50 | $p99 |"
}
wrk -t2 -c"$conns" -d3s http://127.0.0.1:18080/ >/dev/null   # warm-up
mkdir -p bench/results
{
  echo "# Overview page under load ($(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
  echo
  echo "wrk -t2 -c$conns -d${secs}s on loopback; the page is $(wc -c <"$work/www/index.html") bytes; load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| server | requests/s | p50 | p99 |"
  echo "|---|---:|---:|---:|"
  run mignet http://127.0.0.1:18080/
  run nginx-static http://127.0.0.1:18081/
} | tee bench/results/web.md
