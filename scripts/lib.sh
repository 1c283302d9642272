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

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# Builds the wasm package into pkg/ and assembles the static site in dist/:
# www/ + pkg/ + the wasm bytes and the sample file as JS modules (so no fetch is needed
# under `connect-src 'none'`) + the vendored chart library. The worker is bundled into one
# script exported as text (dist/worker-source.js): the page starts it from a blob: URL, so it
# inherits the page's security policy, which a worker loaded from its own URL would not.
build_site() {
  ensure_rust_wasm
  ensure_npm
  say "building the wasm core (release)"
  cargo build --quiet --lib --release --target wasm32-unknown-unknown
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  rm -rf pkg
  wasm-bindgen --target web --out-dir pkg --out-name clientele \
    "$target_dir/wasm32-unknown-unknown/release/clientele.wasm"
  rm -rf dist
  cp -r www dist
  mkdir -p dist/pkg dist/vendor
  cp pkg/clientele.js pkg/clientele.d.ts pkg/clientele_bg.wasm dist/pkg/
  node scripts/embed-wasm.mjs pkg/clientele_bg.wasm dist/pkg/clientele_wasm_bytes.js
  node scripts/bundle-worker.mjs dist/worker.js dist/worker-source.js
  rm dist/worker.js
  node scripts/embed-sample.mjs www/sample/CDNOW_sample.txt dist/sample/cdnow_sample.js
  cp node_modules/echarts/dist/echarts.esm.min.js dist/vendor/echarts.esm.min.js
  cp node_modules/echarts/LICENSE dist/vendor/echarts.LICENSE.txt
  # The same policy as an HTTP header, for Netlify/Cloudflare Pages and Apache (deploy/).
  cp deploy/_headers deploy/.htaccess dist/
}
