#!/usr/bin/env bash
# De-duplicated reach benchmark: `mignet reach` beside DuckDB, Polars (and, on
# request, pandas and SQLite) on the perfkit's seed-42 files, every answer
# checked byte for byte, then mignet alone at 1, 10 and 30 million rows for
# linearity and memory.
#
#   bench/reach/run.sh            # 1M and 10M with the fast peers, then 1/10/30M scaling
#   bench/reach/run.sh --slow     # also pandas and SQLite (SQLite takes ~2 min per 10M run)
#   bench/reach/run.sh --quick    # 1M only, 3 runs (a smoke test, ~1 min)
#   bench/reach/run.sh --no-scale # 1M and 10M with the peers, without the 1/10/30M scaling step
#
# Environment: MIGNET=/path/to/mignet uses that binary instead of building one;
# PEERS_ARGS is passed to run_peers.py (e.g. "--quiet-max-wait 30"
# on a shared machine: by default each run waits up to 180 s for the machine
# to be 85 % idle); R1M / R10M / RSCALE set the repeats (5 / 3 / 3).
# PG_URL=postgres://user@host/db adds `mignet reach --engine postgres` (records loaded
# with COPY and counted inside that server) as one more column at 1M and 10M; its wall
# time is end to end, but its CPU and memory are the server's, which run_peers.py
# does not see (they show as foreign load instead).
#
# Needs: the perfkit (PERFKIT, default ../shared/perfkit beside the repo),
# python3, GNU time at /usr/bin/time (installed with apt-get when run as root),
# about 6 GB of free disk for the 30M file (deleted afterwards) and ~5 GB RAM
# for the generator. Results go to bench/results/reach-<timestamp>/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PERFKIT=${PERFKIT:-$(cd "$ROOT/../shared/perfkit" 2>/dev/null && pwd || true)}
DATA=${DATA:-$ROOT/bench/data}
VENV=${VENV:-$DATA/.venv}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
OUT=${OUT:-$ROOT/bench/results/reach-$(date +%Y%m%d-%H%M%S)}
SLOW=0 QUICK=0 SCALE=1
for a in "$@"; do
  case $a in
    --slow) SLOW=1 ;;
    --quick) QUICK=1 ;;
    --no-scale) SCALE=0 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done
[ -f "$PERFKIT/run_peers.py" ] || { echo "perfkit not found; set PERFKIT=/path/to/perfkit" >&2; exit 1; }
mkdir -p "$DATA" "$OUT"

# --- tools -------------------------------------------------------------------
if [ ! -x /usr/bin/time ] || { [ $SLOW = 1 ] && ! command -v sqlite3 >/dev/null; }; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq time sqlite3 >/dev/null
  else
    echo "need GNU time (and sqlite3 for --slow): apt-get install time sqlite3" >&2; exit 1
  fi
fi
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy duckdb polars pandas pyarrow
fi
PY=$VENV/bin/python

# --- data (deterministic: seed 42) ---------------------------------------------
gen() { # rows file
  [ -s "$2" ] || "$PY" "$PERFKIT/gen_services.py" -n "$1" -o "$2" --seed 42
}
gen 1000000 "$DATA/services_1m.csv"
[ $QUICK = 1 ] || gen 10000000 "$DATA/services_10m.csv"

# --- build ---------------------------------------------------------------------
# MIGNET=/path/to/mignet skips the build (e.g. a binary built earlier).
if [ -z "${MIGNET:-}" ]; then
  (cd "$ROOT" && CARGO_TARGET_DIR=$TARGET cargo build --release -p mignet --quiet)
  MIGNET=$TARGET/release/mignet
fi

# --- machine -------------------------------------------------------------------
{
  echo "date: $(date -Is)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)"
  echo "mignet: $MIGNET"
  echo "nproc: $(nproc)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p')"
  echo "memory: $(free -h | awk '/^Mem:/ {print $2}')"
  echo "rustc: $(rustc --version)"
  echo "python: $("$PY" --version 2>&1)"
  "$PY" -c 'import duckdb, polars, pandas, numpy; print(f"duckdb {duckdb.__version__}, polars {polars.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}")'
  command -v sqlite3 >/dev/null && echo "sqlite3: $(sqlite3 --version | cut -d' ' -f1)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/machine.txt"

PEERS_ARGS=${PEERS_ARGS:-}
R1M=${R1M:-5} R10M=${R10M:-3} RSCALE=${RSCALE:-3}
PG_EXTRA=()
[ -n "${PG_URL:-}" ] && PG_EXTRA=(--extra "mignet-pg=$MIGNET --db $PG_URL reach {csv} --out {out} --engine postgres")
peers() { # csv outdir repeat peer-list
  # shellcheck disable=SC2086
  "$PY" "$PERFKIT/run_peers.py" "$1" --out "$2" --repeat "$3" --peers "$4" $PEERS_ARGS \
    --extra "mignet=$MIGNET reach {csv} --out {out}" "${PG_EXTRA[@]}"
  # The kit's own expected answers must match too (not just agreement).
  local expected=$PERFKIT/results/expected_outputs_$(basename "$2" | sed 's/peers_//')
  if [ -d "$expected" ]; then
    for q in q1 q2 q3 q4; do
      cmp -s "$expected/$q.csv" "$2/mignet/$q.csv" && echo "$q: matches the kit's expected output" \
        || { echo "$q: DIFFERS from $expected/$q.csv"; exit 1; }
    done | tee -a "$2/verify.txt"
  fi
}

FAST=floor-cat,duckdb-t1,duckdb-t2,polars
[ $SLOW = 1 ] && FAST=$FAST,pandas,sqlite
if [ $QUICK = 1 ]; then
  peers "$DATA/services_1m.csv" "$OUT/peers_1m" 3 "$FAST"
  echo "results: $OUT"
  exit 0
fi
peers "$DATA/services_1m.csv" "$OUT/peers_1m" "$R1M" "$FAST,polars-t1"
peers "$DATA/services_10m.csv" "$OUT/peers_10m" "$R10M" "$FAST"

# --- scaling: mignet alone at 1, 10, 30M; the 30M file exists only meanwhile ------
if [ $SCALE = 0 ]; then
  {
    echo "# mignet reach benchmark ($(date -I)), without the scaling step"
    echo; echo '```'; cat "$OUT/machine.txt"; echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"; echo '```'
    for d in peers_1m peers_10m; do
      echo; echo "## $d"; echo; cat "$OUT/$d/summary.md"; echo; echo '```'; cat "$OUT/$d/verify.txt"; echo '```'
    done
  } > "$OUT/report.md"
  echo "report: $OUT/report.md"
  exit 0
fi
BIG=$DATA/services_30m.csv
trap 'rm -f "$BIG"' EXIT
gen 30000000 "$BIG"
for n in 1m 10m 30m; do
  csv=$DATA/services_$n.csv
  # DuckDB with 2 threads is the cross-check at 30M (no expected output there).
  extra_peers=floor-cat
  [ $n = 30m ] && extra_peers=floor-cat,duckdb-t2
  # shellcheck disable=SC2086
  "$PY" "$PERFKIT/run_peers.py" "$csv" --out "$OUT/scale_$n" --repeat "$RSCALE" --peers "$extra_peers" $PEERS_ARGS \
    --extra "mignet=$MIGNET reach {csv} --out {out}" \
    --extra "mignet-64MiB=$MIGNET reach {csv} --out {out} --memory-mib 64"
done

# --- summary -------------------------------------------------------------------
{
  echo "# mignet reach benchmark ($(date -I))"
  echo; echo '```'; cat "$OUT/machine.txt"; echo '```'
  for d in peers_1m peers_10m scale_1m scale_10m scale_30m; do
    echo; echo "## $d"; echo; cat "$OUT/$d/summary.md"; echo; echo '```'; cat "$OUT/$d/verify.txt"; echo '```'
  done
} > "$OUT/report.md"
echo "report: $OUT/report.md"
