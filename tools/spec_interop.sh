#!/usr/bin/env bash
# `make spec-interop`: prove the contract works for other languages, against a fresh emulator each time.
#   1. lint: Redocly (recommended) and Spectral (spectral:oas), warnings fail;
#   2. TypeScript: openapi-typescript types type-checked (interop/typescript/types-check.ts), and a hey-api SDK
#      (fetch client) built with tsc and run through interop/typescript/flow.ts;
#   3. Python: a client from openapi-generator (the jar from PyPI's openapi-generator-cli; needs Java), run
#      through interop/python/flow.py;
#   4. Go, when a Go toolchain is present (else skipped with the reason): openapi-generator's Go client, built
#      and run through interop/go/flow.go.
# Each flow: GetEntry; simple PDF export of pages 1-2 and download; ExportAsync -> ListTasks -> download;
# ExportAsync -> CancelTasks -> Cancelled; a 400 with ProblemDetails; StartCopyEntry -> ListTasks -> GET result.uri.
# Every tool is pinned: interop/typescript/package-lock.json (npm ci), interop/python/requirements.txt.
# Needs node >= 20.19 with npm, java >= 11, python3 >= 3.11, and the project's .venv (the emulator).
# Usage: tools/spec_interop.sh openapi/laserfiche-repository-v2.yaml
set -euo pipefail
spec=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/.spec-interop"
interop="$root/interop"
venv_py="$root/.venv/bin/python"
started=$SECONDS
say() { echo "spec-interop: $*"; }
fail() { echo "spec-interop: $*" >&2; exit 1; }

for tool in node npm java; do
  command -v "$tool" >/dev/null || fail "$tool not found (this check needs Node.js >= 20.19 with npm, and Java >= 11)"
done
[ -x "$venv_py" ] || fail "$venv_py not found: run 'make install' first"
mkdir -p "$work"

# ---------------------------------------------------------------------------------------------- tools
# npm ci again only when the lock file changed; the same for the Python tools.
ts="$work/ts"
if ! cmp -s "$interop/typescript/package-lock.json" "$ts/package-lock.json"; then
  rm -rf "$ts" && mkdir -p "$ts"
  cp "$interop/typescript/package.json" "$interop/typescript/package-lock.json" "$ts/"
  (cd "$ts" && npm ci --no-audit --no-fund --silent --ignore-scripts)
fi
pyenv="$work/py"
if ! cmp -s "$interop/python/requirements.txt" "$pyenv/requirements.txt"; then
  rm -rf "$pyenv"
  python3 -m venv "$pyenv"
  "$pyenv/bin/pip" install --quiet --disable-pip-version-check -r "$interop/python/requirements.txt" 2>"$work/pip.log" \
    || { cat "$work/pip.log"; fail "pip install failed"; }
  cp "$interop/python/requirements.txt" "$pyenv/requirements.txt"
fi
generator() { "$pyenv/bin/openapi-generator-cli" generate -i "$spec" "$@" \
  --global-property apiTests=false,modelTests=false,apiDocs=false,modelDocs=false >"$work/generator.log" 2>&1 \
  || { cat "$work/generator.log"; fail "openapi-generator failed"; }; }
say "tools: $(cd "$ts" && npx --no-install openapi-ts --version 2>/dev/null | tail -1 | sed 's|^|@hey-api/openapi-ts |'), \
openapi-generator $("$pyenv/bin/openapi-generator-cli" version 2>/dev/null | tail -1), $(java -version 2>&1 | head -1)"

# ---------------------------------------------------------------------------------------------- emulator
emulator_pid=""
stop_emulator() { if [ -n "$emulator_pid" ]; then kill "$emulator_pid" 2>/dev/null || true; wait "$emulator_pid" 2>/dev/null || true; emulator_pid=""; fi; }
trap stop_emulator EXIT
# A fresh emulator; sets $flow_args: BASE_URL REPOSITORY_ID TOKEN ENTRY_ID COPY_SOURCE_ID COPY_DESTINATION_ID.
fresh_emulator() {
  stop_emulator
  : >"$work/emulator.json"
  "$venv_py" -m lf_emulator --port 0 --json --long-poll-max-seconds 5 >"$work/emulator.json" 2>"$work/emulator.log" &
  emulator_pid=$!
  for _ in $(seq 100); do [ -s "$work/emulator.json" ] && break; sleep 0.1; done
  flow_args=$("$venv_py" -c 'import json, sys
d = json.load(open(sys.argv[1])); docs = d["documents"]
print(d["base_url"], d["repository_id"], d["token"], docs["forty_pages"], docs["guide_folder"], docs["destination_folder"])' \
    "$work/emulator.json") || { cat "$work/emulator.log"; fail "the emulator did not start"; }
}

# ---------------------------------------------------------------------------------------------- lint
cd "$ts"
lint_log="$work/redocly.log"
npx --no-install redocly lint --config "$interop/redocly.yaml" --format stylish "$spec" >"$lint_log" 2>&1 \
  || { cat "$lint_log"; fail "Redocly lint failed"; }
if grep -qE "You have [0-9]+ warnings?" "$lint_log"; then cat "$lint_log"; fail "Redocly lint warns"; fi
npx --no-install spectral lint --quiet --ruleset "$interop/.spectral.yaml" --fail-severity warn "$spec" \
  || fail "Spectral lint warns"
say "lint: Redocly (recommended) and Spectral (spectral:oas) are clean"

# ---------------------------------------------------------------------------------------------- TypeScript
rm -rf gen out && cp "$interop/typescript/flow.ts" "$interop/typescript/types-check.ts" "$interop/typescript/tsconfig.json" .
npx --no-install openapi-typescript "$spec" --default-non-nullable false --output gen/openapi-typescript.d.ts >/dev/null
npx --no-install tsc --noEmit --strict --skipLibCheck --target es2022 --moduleResolution node types-check.ts
say "openapi-typescript types type-check (interop/typescript/types-check.ts)"
npx --no-install openapi-ts -i "$spec" -o gen/heyapi -p @hey-api/client-fetch @hey-api/typescript @hey-api/sdk >/dev/null
npx --no-install tsc -p tsconfig.json
fresh_emulator
say "hey-api SDK (fetch client) flow:"
# shellcheck disable=SC2086
node out/flow.js $flow_args

# ---------------------------------------------------------------------------------------------- Python
cd "$work" && rm -rf python && mkdir python && cd python
generator -g python -o gen --additional-properties packageName=lfrepo,projectName=lfrepo
fresh_emulator
say "openapi-generator python client flow:"
# shellcheck disable=SC2086
PYTHONPATH=gen "$pyenv/bin/python" "$interop/python/flow.py" $flow_args

# ---------------------------------------------------------------------------------------------- Go
if ! command -v go >/dev/null; then
  say "Go: skipped, no Go toolchain on PATH (Debian: apt-get install golang-go golang-gopkg-validator.v2-dev)"
else
  cd "$work" && rm -rf go && mkdir go && cd go
  cp "$interop/go/flow.go" "$interop/go/go.mod" .
  generator -g go -o lfrepo --git-user-id lf-export --git-repo-id interop \
    --additional-properties packageName=lfrepo,isGoSubmodule=true,useOneOfDiscriminatorLookup=true \
    --parameter-name-mappings '$select=selectMembers'
  # The client's one dependency: Debian's copy when installed (no module proxy needed), else the proxy.
  debian_validator=/usr/share/gocode/src/gopkg.in/validator.v2
  if [ -d "$debian_validator" ]; then
    mkdir -p deps && cp -r "$debian_validator" deps/validator.v2
    [ -f deps/validator.v2/go.mod ] || printf 'module gopkg.in/validator.v2\n\ngo 1.18\n' >deps/validator.v2/go.mod
    go mod edit -replace gopkg.in/validator.v2=./deps/validator.v2
    (cd lfrepo && go mod edit -replace gopkg.in/validator.v2=../deps/validator.v2)
  fi
  if ! GOFLAGS=-mod=mod go build -o flow . 2>"$work/go-build.log"; then
    if grep -q "validator.v2" "$work/go-build.log" && [ ! -d "$debian_validator" ]; then
      say "Go: skipped, gopkg.in/validator.v2 is not reachable (Debian: apt-get install golang-gopkg-validator.v2-dev)"
    else
      cat "$work/go-build.log"; fail "the generated Go client does not build"
    fi
  else
    fresh_emulator
    say "openapi-generator go client flow ($(go version | cut -d' ' -f3)):"
    # shellcheck disable=SC2086
    ./flow $flow_args
  fi
fi
stop_emulator
say "passed in $((SECONDS - started)) s (generated code in $work)"
