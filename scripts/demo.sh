#!/usr/bin/env bash
# The main job on the embedded default: build mignet, load the Thailand 2022 example into an SQLite
# store, write the Highlights (HTML, Markdown, PDF; the PDF in Thai too) and the JSON export into out/, then serve the web
# application with demo accounts. It prints the address and the demo sign-in; stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --profile demo --quiet -p mignet
mkdir -p out
export MIGNET_DB=${MIGNET_DB:-out/mignet.db}
bin=target/demo/mignet
$bin load examples/thailand-2022
for f in html md pdf; do
  $bin report --period 2022 --format $f -o out/highlights-2022.$f || echo "(report --format $f failed)"
done
# The brief in Thai as well: its own words, and the example's translated titles (docs/translations.md).
$bin report --period 2022 --format pdf --lang th -o out/highlights-2022-th.pdf || echo "(the Thai PDF failed)"
$bin export --period 2022 --format json -o out/2022.json
$bin check --period 2022 || echo "(check found the published claims that disagree with the data: see above)"
echo
exec $bin serve --demo --addr "${MIGNET_ADDR:-127.0.0.1:8080}"
