#!/usr/bin/env bash
# The main job on the embedded default: build mignet, load the Thailand 2022 example into an SQLite
# store and write the Highlights (HTML and Markdown) and the JSON export into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p mignet
mkdir -p out
export MIGNET_DB=${MIGNET_DB:-out/mignet.db}
bin=target/release/mignet
$bin load examples/thailand-2022
$bin report --period 2022 --format html -o out/highlights-2022.html
$bin report --period 2022 --format md -o out/highlights-2022.md
$bin export --period 2022 --format json -o out/2022.json
$bin check --period 2022 || echo "(check found the published claims that disagree with the data: see above)"
echo
echo "Open out/highlights-2022.html in a browser. The store is $MIGNET_DB."
