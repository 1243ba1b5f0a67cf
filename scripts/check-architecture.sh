#!/usr/bin/env bash
# The arrows of ARCHITECTURE.md, checked: inner crates must not depend on outer ones or on I/O stacks.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
forbid() { # crate, dependency
  if cargo tree -p "$1" -e normal --prefix none 2>/dev/null | awk '{print $1}' | grep -qx "$2"; then
    echo "FORBIDDEN: $1 depends on $2"; fail=1
  fi
}
for dep in sqlx tokio axum minijinja toml calamine mignet-store mignet-formats mignet-report mignet-app mignet-reach; do
  forbid mignet-core "$dep"
done
for dep in sqlx tokio axum mignet-store mignet-app; do
  forbid mignet-report "$dep"; forbid mignet-formats "$dep"
done
for dep in axum minijinja mignet-report mignet-app mignet-formats; do forbid mignet-store "$dep"; done
for dep in sqlx axum mignet-store mignet-app mignet-formats mignet-report; do forbid mignet-reach "$dep"; done
# typst's API breaks on every 0.x release: it stays inside mignet-pdf, which reaches no store or use case.
for c in mignet-core mignet-report mignet-formats mignet-store mignet-reach; do forbid "$c" typst; done
for dep in sqlx tokio axum mignet-store mignet-app; do forbid mignet-pdf "$dep"; done
# The web is a front end: only the binary reaches it.
for c in mignet-core mignet-report mignet-formats mignet-store mignet-reach mignet-app mignet-pdf; do forbid "$c" mignet-web; done
# The web is a front end over the use cases: it never reaches the store, by dependency or through the
# use cases' handle on it.
forbid_direct() { # crate, dependency: only the crate's own dependencies, not those of the crates it uses
  if cargo tree -p "$1" -e normal --depth 1 --prefix none 2>/dev/null | awk 'NR > 1 {print $1}' | grep -qx "$2"; then
    echo "FORBIDDEN: $1 depends on $2 directly"; fail=1
  fi
}
forbid_direct mignet-web mignet-store
forbid_direct mignet-web sqlx
if grep -rn --include='*.rs' -E '\.store\(\)|mignet_store::' crates/mignet-web/src; then
  echo "FORBIDDEN: mignet-web reaches the store (above); add a use case to mignet-app instead"; fail=1
fi
# Rules that once had copies in the web live in mignet-core: which figures are public
# (access::is_public, access::may_see), which steps a period allows (access::Actions), which units
# count people (Indicator::counts_people), a pledge's follow-up (Dataset::pledge_follow_up).
if grep -rn --include='*.rs' -E 'FigureStatus::Approved|PeriodStatus::Open\)? *&&|"migrants"|pl\.priorities\.contains' crates/mignet-web/src; then
  echo "FORBIDDEN: a rule of mignet-core is written again in mignet-web (above); call the core's"; fail=1
fi
[ $fail -eq 0 ] && echo "ok: core has no I/O, inner crates do not reach outward"
exit $fail
