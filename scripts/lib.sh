# Shared helpers for scripts/demo, scripts/test and scripts/bench: install what is missing,
# quietly, and build the static site. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust_wasm() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "installing the Rust wasm32 target"
    rustup target add wasm32-unknown-unknown >&2
  fi
  local want have
  want="$(wasm_bindgen_version)"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    # Not --locked: the registry mirror lags one of its dependencies.
    cargo install --quiet wasm-bindgen-cli --version "$want" >&2
  fi
}

ensure_npm() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

# Chromium, its driver, and Debian's Noto CJK fonts: the page's Chinese (issue 17) is drawn with
# real glyphs in the tests' screenshots and PDFs, not boxes (about 10 s, 57 MB download).
CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || [ ! -e "$CJK_FONT" ]; then
    say "installing Debian's chromium, chromium-driver and fonts-noto-cjk"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null
  fi
}

# wasm-opt comes from npm's `binaryen` (pinned in package.json), not Debian's package: Debian
# 12's binaryen 108 exports the wrong table as wasm-bindgen's externref table (the module then
# fails to start: "WebAssembly.Table.set(): function-typed object must be null").
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
# Features of the wasm rustc emits for wasm32-unknown-unknown (`rustc --print cfg`), which
# wasm-opt must be told it may keep.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)

# One wasm build of the core into DIR: cargo (profile wasm-release, see Cargo.toml), then
# wasm-bindgen, then wasm-opt. Extra arguments go to cargo (the features).
build_core() { # DIR cargo-args...
  local dir="$1"
  shift
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  cargo build --quiet --lib --profile wasm-release --target wasm32-unknown-unknown "$@"
  rm -rf "$dir"
  wasm-bindgen --target web --out-dir "$dir" --out-name clientele \
    "$target_dir/wasm32-unknown-unknown/wasm-release/clientele.wasm"
  # -Oz: size first; no --fast-math, so every float operation (and the Report's bytes) is kept.
  "$WASM_OPT" -Oz "${WASM_OPT_FEATURES[@]}" "$dir/clientele_bg.wasm" -o "$dir/clientele_bg.wasm"
}

# Builds the wasm package into pkg/ and assembles the static site in dist/:
# www/ + pkg/ + the sample file as a JS module + the vendored chart library. The core comes in
# two builds (www/engine.js loads them): without the `workbook` feature (pkg/clientele_bg.wasm,
# what the page loads first) and with it (pkg/clientele_workbook_bg.wasm, loaded when a
# workbook is dropped); each also as a JS module of its gzipped bytes, for pages whose policy
# forbids fetch (`connect-src 'none'`). The worker is bundled into one script exported as text
# (dist/worker-source.js): the page starts it from a blob: URL, so it inherits the page's
# security policy, which a worker loaded from its own URL would not.
build_site() {
  ensure_rust_wasm
  ensure_npm
  say "building the wasm core (text tables only, then with workbooks)"
  build_core pkg --no-default-features
  build_core pkg-workbook
  # One glue script serves both: the builds differ in what the core reads, not in its exports.
  if ! cmp -s pkg/clientele.js pkg-workbook/clientele.js; then
    echo "build_site: the two wasm builds have different wasm-bindgen glue (pkg/ vs pkg-workbook/)" >&2
    return 1
  fi
  cp pkg-workbook/clientele_bg.wasm pkg/clientele_workbook_bg.wasm
  rm -rf pkg-workbook
  assemble_site
}

# The static site in dist/ from www/ and the wasm builds already in pkg/ (build_site's second
# half; alone, for JavaScript-only changes). The element's style sheets become a JS module
# (dist/element-styles.js) it adopts as a constructable sheet.
assemble_site() {
  rm -rf dist
  cp -r www dist
  # The Vite example is a project of its own (tests/e2e/package.test.mjs builds it), not a page.
  rm -rf dist/examples/vite-app
  mkdir -p dist/pkg dist/vendor
  cp pkg/clientele.js pkg/clientele.d.ts pkg/clientele_bg.wasm pkg/clientele_workbook_bg.wasm dist/pkg/
  node scripts/embed-wasm.mjs pkg/clientele_bg.wasm dist/pkg/clientele_wasm_bytes.js --zopfli
  node scripts/embed-wasm.mjs pkg/clientele_workbook_bg.wasm dist/pkg/clientele_workbook_wasm_bytes.js
  node scripts/bundle-worker.mjs dist/worker.js dist/worker-source.js
  rm dist/worker.js
  node scripts/embed-styles.mjs dist/element-styles.js www/style.css www/sections.css www/report.css
  node scripts/embed-sample.mjs www/sample/CDNOW_sample.txt dist/sample/cdnow_sample.js
  node scripts/bundle-echarts.mjs dist/vendor/echarts.js
  cp node_modules/echarts/LICENSE dist/vendor/echarts.LICENSE.txt
  cp node_modules/echarts/NOTICE dist/vendor/echarts.NOTICE.txt
  # The same policy as an HTTP header, for Netlify/Cloudflare Pages and Apache (deploy/).
  cp deploy/_headers deploy/.htaccess dist/
}
