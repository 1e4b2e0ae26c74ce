#!/usr/bin/env bash
# Runs the OpenAI Node SDK interop check against cmd/assistants-emulator.
#
#   bash interop/node/run.sh        (from the repository root, or anywhere)
#
# Builds the emulator, starts it on a free loopback port (-addr
# 127.0.0.1:0; the emulator prints the base URL it serves), waits until it
# answers, installs the pinned SDK (npm ci) and runs interop.mjs. The
# emulator is stopped on exit. Extra emulator flags can be given in
# EMULATOR_FLAGS (e.g. EMULATOR_FLAGS='-step-delay 20ms').
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

for tool in go node npm curl; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 1; }
done

work="$(mktemp -d /tmp/interop-node.XXXXXX)"
bin="$work/assistants-emulator"
log="$work/emulator.log"
emu_pid=""

cleanup() {
  local rc=$?
  if [[ -n "$emu_pid" ]] && kill -0 "$emu_pid" 2>/dev/null; then
    kill -TERM "$emu_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$emu_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$emu_pid" 2>/dev/null || true
    wait "$emu_pid" 2>/dev/null || true
  fi
  if [[ $rc -ne 0 && -s "$log" ]]; then
    echo "--- emulator log (last 40 lines) ---" >&2
    tail -n 40 "$log" >&2
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "run.sh: building the emulator"
(cd "$root" && go build -o "$bin" ./cmd/assistants-emulator)

# shellcheck disable=SC2086
"$bin" -addr 127.0.0.1:0 -poll-after 50ms ${EMULATOR_FLAGS:-} >"$log" 2>&1 &
emu_pid=$!

base=""
for _ in $(seq 100); do
  if ! kill -0 "$emu_pid" 2>/dev/null; then
    echo "run.sh: the emulator exited early" >&2
    exit 1
  fi
  base="$(sed -n 's/^assistants-emulator: serving the Assistants API at \(http[^ ]*\).*$/\1/p' "$log" | head -n 1)"
  [[ -n "$base" ]] && break
  sleep 0.1
done
[[ -n "$base" ]] || { echo "run.sh: the emulator printed no base URL" >&2; exit 1; }

ready=""
for _ in $(seq 100); do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer interop-key' -H 'OpenAI-Beta: assistants=v2' "$base/assistants" || true)"
  if [[ "$code" == 200 ]]; then ready=1; break; fi
  sleep 0.1
done
[[ -n "$ready" ]] || { echo "run.sh: $base/assistants never answered 200" >&2; exit 1; }
echo "run.sh: emulator ready at $base (pid $emu_pid)"

cd "$here"
if [[ "${INTEROP_SKIP_INSTALL:-}" == 1 && -d node_modules/openai ]]; then
  : # installed by the caller (CI installs first, so that only a registry outage skips the check)
elif [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
echo "run.sh: openai $(node -p "JSON.parse(require('fs').readFileSync('node_modules/openai/package.json','utf8')).version")"

OPENAI_BASE_URL="$base" OPENAI_API_KEY="interop-key" node interop.mjs
