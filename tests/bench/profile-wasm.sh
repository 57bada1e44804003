#!/usr/bin/env bash
# Where the wasm scanner spends its time, function by function: the module
# as shipped (same Rust build, same wasm-opt -Oz) but with its function names
# kept, run under `node --cpu-prof` on the generated 1 MB ticket text.
#
#   ./build.sh && tests/bench/profile-wasm.sh [SIZE_BYTES] [TOP]
#
# Prints each function's share of the samples (self time). A profile, not a
# benchmark: use `./build.sh bench` for numbers to compare.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZE="${1:-1000000}"
TOP="${2:-25}"
# the service worker's module (the scanner runs there), cargo's output as ./build.sh kept it
WASM="$ROOT/target/wasm-raw/deskside_background.wasm"
[ -f "$WASM" ] || { echo "profile-wasm.sh: build first (./build.sh)" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

"$ROOT/target/tools/wasm-bindgen-pinned" --target web --no-typescript --out-dir "$OUT/wasm" --out-name deskside_background "$WASM"
"$ROOT/tests/node_modules/.bin/wasm-opt" -Oz -g --enable-simd --enable-reference-types --enable-bulk-memory \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue \
  "$OUT/wasm/deskside_background_bg.wasm" -o "$OUT/wasm/named.wasm"

cat >"$OUT/run.mjs" <<EOF
import { readFileSync } from 'node:fs';
import { ticketText } from '$ROOT/tests/bench/gen.mjs';
const glue = await import('$OUT/wasm/deskside_background.js');
glue.initSync({ module: readFileSync('$OUT/wasm/named.wasm') });
const text = ticketText($SIZE, 7).text;
const until = performance.now() + 4000;
while (performance.now() < until) glue.scanText(text, 'CN');
EOF
node --cpu-prof --cpu-prof-dir="$OUT/prof" --cpu-prof-interval 100 "$OUT/run.mjs"

node - "$OUT/prof" "$TOP" <<'EOF'
const fs = require('node:fs');
const [dir, top] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(`${dir}/${fs.readdirSync(dir)[0]}`, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (const id of profile.samples) {
  const frame = byId.get(id).callFrame;
  const name = (frame.functionName || frame.url || '(anonymous)').replace(/::h[0-9a-f]{16}$/, '');
  self.set(name, (self.get(name) ?? 0) + 1);
}
const total = profile.samples.length;
console.log(`${total} samples, self time:`);
for (const [name, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * n) / total).toFixed(1).padStart(5)} %  ${name.slice(0, 120)}`);
}
EOF
