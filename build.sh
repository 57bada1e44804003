#!/usr/bin/env bash
# Deskside's one entry point.
#
#   ./build.sh              build dist/chrome, dist/firefox and the zips
#   ./build.sh test         build, then run every test (cargo, wasm, lint, the presets' contract suite,
#                           Chromium and Firefox e2e)
#   ./build.sh demo         build, start the demo server and open Chromium on a sample ticket
#   ./build.sh demo --headless   the same without a window: screenshots in dist/screenshots/
#   ./build.sh bench        side-by-side benchmarks (scanners in Node, the content script in Chromium,
#                           panel latency, start-up, shared requests, memory, where the wasm's bytes go),
#                           written to docs/BENCHMARKS.md
#   ./build.sh fuzz [SECS]  coverage-guided fuzzing of the core (cargo-fuzz), SECS per target (default 120);
#                           ./build.sh test runs each target for DESKSIDE_FUZZ_SECS (default 20)
#
# It installs what it needs when missing (the wasm target, the pinned
# wasm-bindgen CLI, the npm tools; browsers via apt when run as root) and
# stops at the first failing step with a message saying which.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
DIST="$ROOT/dist"
TOOLS="$ROOT/target/tools"
WASM_TARGET=wasm32-unknown-unknown

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\n\033[31mbuild.sh: %s\033[0m\n' "$*" >&2; exit 1; }
run() { "$@" || die "failed: $*"; }

ensure_rust() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    step "Installing the $WASM_TARGET Rust target"
    run rustup target add "$WASM_TARGET"
  fi
}

ensure_wasm_bindgen() {
  # Built from this workspace (crates/wasm-bindgen-tools), so Cargo.lock pins
  # it to exactly the wasm-bindgen crate's version. Cached in target/tools.
  step "wasm-bindgen CLI (pinned by Cargo.lock)"
  run cargo build --quiet --profile tools -p wasm-bindgen-tools
  local want have
  want="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
  have="$("$TOOLS/wasm-bindgen-pinned" --version | awk '{print $2}')"
  [ "$want" = "$have" ] || die "wasm-bindgen CLI $have does not match the crate $want"
  echo "wasm-bindgen $have"
}

ensure_node_tools() {
  command -v node >/dev/null || die "node is missing (Node.js 20 or newer is needed for the build tools and tests)"
  if [ ! -x tests/node_modules/.bin/wasm-opt ] || [ ! -x tests/node_modules/.bin/prism ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    step "Installing npm tools (binaryen's wasm-opt, web-ext, puppeteer-core, Stoplight Prism)"
    run npm ci --prefix tests --no-audit --no-fund --loglevel=error
  fi
}

# The wasm crate is built twice (issue 23), one module per side: the service
# worker's (`background`: the router, requests, fetch) and the extension pages'
# (`pages`: panel, side panel, options page), so the worker compiles only its own
# code on every wake-up. Each is `deskside_<name>.js` + `deskside_<name>_bg.wasm`.
WASM_MODULES=(background pages)

build_wasm() {
  local out="$ROOT/target/extension-wasm"
  rm -rf "$out" && mkdir -p "$out"
  for m in "${WASM_MODULES[@]}"; do
    step "Building the wasm crate (release, --features $m)"
    run cargo build --quiet --release --target "$WASM_TARGET" -p deskside-wasm --no-default-features --features "$m"
    # cargo's output, names kept, for the bench's byte breakdown and tests/bench/profile-wasm.sh
    mkdir -p "$ROOT/target/wasm-raw"
    cp "$ROOT/target/$WASM_TARGET/release/deskside_wasm.wasm" "$ROOT/target/wasm-raw/deskside_$m.wasm"
    run "$TOOLS/wasm-bindgen-pinned" --target web --no-typescript --remove-name-section --remove-producers-section \
      --out-dir "$out" --out-name "deskside_$m" "$ROOT/target/$WASM_TARGET/release/deskside_wasm.wasm"
    step "Optimising deskside_$m with wasm-opt (binaryen from npm; Debian's binaryen 108 produces broken output)"
    run tests/node_modules/.bin/wasm-opt -Oz $WASM_OPT_FEATURES \
      "$out/deskside_${m}_bg.wasm" -o "$out/deskside_${m}_bg.opt.wasm"
    mv "$out/deskside_${m}_bg.opt.wasm" "$out/deskside_${m}_bg.wasm"
  done
}

WASM_OPT_FEATURES="--enable-simd --enable-reference-types --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-multivalue"

assemble() {
  step "Assembling dist/chrome and dist/firefox"
  rm -rf "$DIST/chrome" "$DIST/firefox"
  for browser in chrome firefox; do
    mkdir -p "$DIST/$browser/wasm"
    cp -r extension/. "$DIST/$browser/"
    rm -rf "$DIST/$browser/packaging"
    cp target/extension-wasm/deskside_*.js target/extension-wasm/deskside_*_bg.wasm "$DIST/$browser/wasm/"
    [ -d target/extension-wasm/snippets ] && cp -r target/extension-wasm/snippets "$DIST/$browser/wasm/"
    run python3 extension/packaging/manifest.py "$browser" manifest.json "$DIST/$browser/manifest.json"
  done
  step "Packing zips"
  run python3 extension/packaging/pack.py "$DIST/chrome" "$DIST/deskside-chrome.zip"
  run python3 extension/packaging/pack.py "$DIST/firefox" "$DIST/deskside-firefox.zip"
  run python3 extension/packaging/pack.py --source "$ROOT" "$DIST/deskside-source.zip"
  step "Shipped wasm size"
  local shipped=()
  for m in "${WASM_MODULES[@]}"; do shipped+=("$DIST/chrome/wasm/deskside_${m}_bg.wasm" "$DIST/chrome/wasm/deskside_${m}.js"); done
  shipped+=(--zip "$DIST/deskside-chrome.zip" "$DIST/deskside-firefox.zip")
  python3 extension/packaging/sizes.py "${shipped[@]}" | tee "$DIST/sizes.md"
  python3 extension/packaging/sizes.py --record docs/BENCHMARKS.md "${shipped[@]}"
}

build() {
  ensure_rust
  ensure_node_tools
  ensure_wasm_bindgen
  build_wasm
  assemble
  echo "Built: dist/chrome, dist/firefox, dist/deskside-{chrome,firefox,source}.zip"
}

ensure_browsers() {
  # Debian's browsers (no test tool downloads its own), a CJK font so
  # Chinese sample data renders in screenshots, and their Chinese locales.
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v firefox-esr >/dev/null || missing+=(firefox-esr)
  if command -v dpkg >/dev/null; then
    # The CJK font, and the browsers' Chinese UI locales: the extension's
    # name (__MSG_ext_name__) follows the browser's UI language (tests/e2e/i18n.test.mjs).
    for pkg in fonts-wqy-microhei chromium-l10n firefox-esr-l10n-zh-cn; do
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      step "Installing ${missing[*]} (apt)"
      run apt-get update -qq
      DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      die "missing packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
    fi
  fi
}

build_demo_server() {
  run cargo build --quiet --release -p deskside-demo
}

cmd_test() {
  build
  ensure_browsers
  step "cargo test (core and demo server, native)"
  run cargo test --workspace --exclude deskside-wasm --exclude wasm-bindgen-tools
  step "wasm-bindgen tests (the wasm crate, in Node)"
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$TOOLS/wasm-bindgen-test-runner" \
    run cargo test --target "$WASM_TARGET" -p deskside-wasm
  cmd_fuzz "${DESKSIDE_FUZZ_SECS:-20}"
  step "web-ext lint (Firefox package)"
  run tests/node_modules/.bin/web-ext lint --source-dir "$DIST/firefox"
  build_demo_server
  step "The test APIs the generic connector and the presets' e2e run against (tests/testapi, tests/presetapi; Node)"
  run node --test tests/testapi/ tests/presetapi/
  step "The guides name the UI's real labels and show screenshots that exist (tests/docs)"
  run node --test tests/docs/
  step "The presets against their vendors' API descriptions (tests/contract: Prism mocks on loopback)"
  run cargo build --quiet -p deskside-cli
  run node --test tests/contract/
  step "Browser end-to-end tests (real Chromium and Firefox ESR)"
  run node --test --test-concurrency=1 tests/e2e/
}

FUZZ_TARGETS=(identify scanners connector idpattern html definition)

ensure_cargo_fuzz() {
  if ! cargo fuzz --version >/dev/null 2>&1; then
    step "Installing cargo-fuzz (crates.io)"
    run cargo install cargo-fuzz --locked --quiet
  fi
}

# Each target for $1 seconds, from seeds made of the labelled corpus (and
# what earlier runs found, kept in target/fuzz). On stable Rust: coverage
# instrumentation without a sanitizer (-s none); debug assertions on, so
# overflows count as findings. A finding stops the build with the input saved.
cmd_fuzz() {
  local secs="${1:-120}"
  ensure_rust
  ensure_cargo_fuzz
  run python3 tests/fuzz/seed.py "$ROOT"
  step "Building the fuzz targets (crates/deskside-fuzz)"
  run cargo fuzz build --fuzz-dir crates/deskside-fuzz -s none -a
  for t in "${FUZZ_TARGETS[@]}"; do
    step "Fuzzing $t for ${secs} s"
    mkdir -p "target/fuzz/artifacts/$t"
    local log="target/fuzz/$t.log" status=0
    cargo fuzz run --fuzz-dir crates/deskside-fuzz -s none -a "$t" "target/fuzz/corpus/$t" -- \
      -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="target/fuzz/artifacts/$t/" >"$log" 2>&1 || status=$?
    grep -a -E '^(Done|stat::(number_of_executed_units|new_units_added))|panicked|^SUMMARY|Test unit written' "$log" || true
    if [ "$status" != 0 ]; then
      grep -a -A3 'panicked' "$log" | head -20 || true
      die "fuzz target $t found an input that fails (saved in target/fuzz/artifacts/$t/, log $log); replay: cargo fuzz run --fuzz-dir crates/deskside-fuzz -s none -a $t target/fuzz/artifacts/$t/<file>"
    fi
  done
}

cmd_demo() {
  build
  ensure_browsers
  build_demo_server
  step "Running the demo"
  exec node tests/demo.mjs "$@"
}

# For tests/bench/product.mjs's start-up comparison: dist/chrome with both
# modules replaced by the one-module build (every feature, as shipped before
# the split), in dist/bench-one-module.
build_one_module() {
  step "The one-module variant (every feature) for the start-up comparison: dist/bench-one-module"
  run cargo build --quiet --release --target "$WASM_TARGET" -p deskside-wasm
  mkdir -p "$ROOT/target/wasm-raw"
  cp "$ROOT/target/$WASM_TARGET/release/deskside_wasm.wasm" "$ROOT/target/wasm-raw/deskside_one.wasm"
  local out="$ROOT/target/extension-wasm-one"
  rm -rf "$out" && mkdir -p "$out"
  run "$TOOLS/wasm-bindgen-pinned" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name deskside_background "$ROOT/target/wasm-raw/deskside_one.wasm"
  run tests/node_modules/.bin/wasm-opt -Oz $WASM_OPT_FEATURES "$out/deskside_background_bg.wasm" -o "$out/opt.wasm"
  rm -rf "$DIST/bench-one-module" && cp -r "$DIST/chrome" "$DIST/bench-one-module"
  # The same module (and glue: it exports every entry point) in the worker and the pages.
  for m in "${WASM_MODULES[@]}"; do
    cp "$out/deskside_background.js" "$DIST/bench-one-module/wasm/deskside_$m.js"
    cp "$out/opt.wasm" "$DIST/bench-one-module/wasm/deskside_${m}_bg.wasm"
  done
}

# Where the bytes go: each shipped module optimised as shipped but with its
# function names kept, read by extension/packaging/wasm_bytes.py, into
# docs/BENCHMARKS.md.
wasm_bytes() {
  step "Where the bytes go (names kept, otherwise as shipped)"
  local out="$ROOT/target/wasm-named" mods=()
  rm -rf "$out" && mkdir -p "$out"
  for m in "${WASM_MODULES[@]}" one; do
    [ -f "$ROOT/target/wasm-raw/deskside_$m.wasm" ] || continue
    run "$TOOLS/wasm-bindgen-pinned" --target web --no-typescript --out-dir "$out" --out-name "deskside_$m" "$ROOT/target/wasm-raw/deskside_$m.wasm"
    run tests/node_modules/.bin/wasm-opt -Oz -g $WASM_OPT_FEATURES "$out/deskside_${m}_bg.wasm" -o "$out/deskside_${m}.named.wasm"
    mods+=("$out/deskside_${m}.named.wasm")
  done
  run python3 extension/packaging/wasm_bytes.py --top 15 --record docs/BENCHMARKS.md "${mods[@]}"
}

cmd_bench() {
  build
  build_one_module
  wasm_bytes
  ensure_browsers
  build_demo_server
  step "Identifier scan, side by side (wasm vs libphonenumber-js vs JS regexes vs the copy floor)"
  run node tests/bench/scan.mjs "$@"
  step "The content script on a 1 MB ticket page (real Chromium)"
  run node tests/bench/page.mjs "$@"
  step "The whole product in real Chromium: panel latency, service-worker start (split vs one module), shared requests, memory"
  run node tests/bench/product.mjs "$@"
}

case "${1:-build}" in
  build) build ;;
  test) shift; cmd_test "$@" ;;
  demo) shift; cmd_demo "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  fuzz) shift; cmd_fuzz "$@" ;;
  -h|--help|help) sed -n '2,16p' "$0" ;;
  *) die "unknown command '$1' (build, test, demo [--headless], bench, fuzz)" ;;
esac
