#!/usr/bin/env bash
# Load-test baseline: builds what the run needs in Release, then measures the reference model
# directly, bare YARP and the gateway in one run and prints RPS, p50/p99 and ratios against bare YARP.
#
#   load-tests/run.sh                           full run (~3 min): direct, bare, gateway
#   load-tests/run.sh --targets direct,bare     without the gateway
#   load-tests/run.sh --targets bare,gateway,gateway-b --gateway-b-arg=--GenSafety:Redis:ConnectionString=127.0.0.1:6379
#                                               two gateway configurations in one interleaved run
#   load-tests/run.sh selftest                  harness check against the built-in echo upstream (~45 s)
#
# Options are those of `GenSafety.LoadTests run` (see load-tests/README.md or `... --help`).
# LOADTEST_NO_BUILD=1 skips the builds.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

command="run"
if [[ "${1:-}" == "selftest" ]]; then
  command="selftest"
  shift
fi

# Build only what this run starts: the gateway and the reference model are skipped when the
# options leave them out (so a broken gateway build does not block a direct/bare baseline).
targets="direct,bare,gateway"
upstream="reference"
stand_in=0
if [[ "$command" == "selftest" ]]; then
  upstream="echo"
  stand_in=1
fi
# Read the options as the command does: `--name=value`, the flag `--gateway-stand-in`, or `--name value`
# (the next word is the value even when it starts with `--`, e.g. `--gateway-b-arg --GenSafety:...`).
# Everything, `--gateway-arg`, `--gateway-b-arg` and `--gateway-b-label` included, is passed on as given.
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  name="${args[i]}"
  value=""
  case "$name" in
    --*=*) value="${name#*=}" name="${name%%=*}" ;;
    --gateway-stand-in) ;;
    --*) value="${args[i + 1]:-}" i=$((i + 1)) ;;
  esac
  case "$name" in
    --targets) targets="$value" ;;
    --upstream) upstream="$value" ;;
    --gateway-stand-in) stand_in=1 ;;
  esac
done

targets="${targets// /}"
projects=(
  load-tests/GenSafety.LoadTests/GenSafety.LoadTests.csproj
  load-tests/GenSafety.BareProxy/GenSafety.BareProxy.csproj
)
if [[ "$upstream" != "echo" ]]; then
  projects+=(gateway/src/GenSafety.ReferenceModel/GenSafety.ReferenceModel.csproj)
fi
# gateway and gateway-b run the same build (with different arguments) unless --gateway-b-dll names another
# (an earlier commit's, built by the caller).
if [[ ( ",$targets," == *",gateway,"* || ",$targets," == *",gateway-b,"* ) && "$stand_in" == 0 ]]; then
  projects+=(gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj)
fi

if [[ "${LOADTEST_NO_BUILD:-0}" != "1" ]]; then
  for project in "${projects[@]}"; do
    echo "building $project (Release)" >&2
    dotnet build -c Release --nologo -v quiet "$project" >&2
  done
fi

exec dotnet load-tests/GenSafety.LoadTests/bin/Release/net10.0/GenSafety.LoadTests.dll "$command" "$@"
