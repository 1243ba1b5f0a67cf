#!/usr/bin/env bash
# The whole test suite, from a fresh machine: installs what the tests need, starts PostgreSQL 15, then
# runs formatting, lints, the architecture's dependency rules and every test on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n== %s ==\n' "$*"; }

step "system packages"
# Third-party checkers the tests run on mignet's outputs, and the services they use.
need=()
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
command -v xmllint >/dev/null || need+=(libxml2-utils)
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -d /usr/share/fonts/truetype/tlwg ] || need+=(fonts-thai-tlwg)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v soffice >/dev/null || need+=(libreoffice-calc-nogui)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi
echo "ok"

step "Python checkers (libhxl, openpyxl, schemathesis) and the mail server of the tests (aiosmtpd)"
# schemathesis 4 (`st`) checks the OpenAPI document against the running server (crates/mignet/tests/mignet/openapi.rs).
if ! python3 -c 'import hxl, openpyxl, aiosmtpd' 2>/dev/null || ! st --version 2>/dev/null | grep -q 'version 4\.'; then
  python3 -m pip install -q --disable-pip-version-check libhxl openpyxl 'schemathesis>=4.30,<5' 'aiosmtpd>=1.4,<2'
fi
export MIGNET_TEST_PYTHON=${MIGNET_TEST_PYTHON:-python3}
echo "ok"

step "axe-core for the accessibility check (npm)"
[ -f target/npm/node_modules/axe-core/axe.min.js ] || npm install --no-save --no-audit --no-fund --prefix target/npm axe-core@4 >/dev/null
echo "ok"

step "PostgreSQL 15 for the store suite"
MIGNET_TEST_POSTGRES=$(.ci/start-postgres.sh)
export MIGNET_TEST_POSTGRES
echo "tests use $MIGNET_TEST_POSTGRES"

step "formatting"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "dependency rules (ARCHITECTURE.md)"
scripts/check-architecture.sh

step "store contract suite on SQLite and on PostgreSQL"
cargo test -p mignet-store --test store -- --test-threads=4 contract::

step "all tests"
cargo test --workspace
