#!/usr/bin/env bash
# Memorization benchmark through the gateway: builds the gateway and the traffic generator (Release), then runs
# `GenSafety.Traffic memorization`, which hosts the reference model, starts four gateways on their in-memory state
# (filter off and on in front of the model; filter on, and filter plus prompt check on, in front of a scripted
# upstream serving restyled member text and divergence answers), protects the model's members through
# POST /admin/protected/text and measures prefix extraction, restyled copies, benign false stops and divergence
# detection. Writes load-tests/results/memorization-<time>.csv and the tables between the
# memorization-benchmark:results markers of docs/memorization.md.
#
#   load-tests/memorization-bench.sh                   the full run (160 members, 12,000 benign responses; 1-2 min)
#   load-tests/memorization-bench.sh --no-docs         leave docs/memorization.md alone
#   load-tests/memorization-bench.sh -- --members 20 --benign 100    further options of `memorization`
#
# MEMORIZATION_BENCH_NO_BUILD=1 skips the builds. Exit 2: a member leaked through the filter or the benign
# false-stop rate was over 0.1 %.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

write_docs=1
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-docs) write_docs=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "memorization-bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

gateway_dll="gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll"
traffic_dll="load-tests/GenSafety.Traffic/bin/Release/net10.0/GenSafety.Traffic.dll"
if [[ "${MEMORIZATION_BENCH_NO_BUILD:-0}" != "1" ]]; then
  for project in gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj load-tests/GenSafety.Traffic/GenSafety.Traffic.csproj; do
    echo "building $project (Release)" >&2
    dotnet build -c Release --nologo -v quiet "$project" >&2
  done
fi

results="load-tests/results"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
command_text="load-tests/memorization-bench.sh"
if [[ ${#extra[@]} -gt 0 ]]; then
  command_text+=" -- ${extra[*]}"
fi

run=(dotnet "$traffic_dll" memorization --gateway-dll "$gateway_dll" --csv "$results/memorization-$stamp.csv" --command "$command_text")
if [[ "$write_docs" == 1 ]]; then
  run+=(--docs docs/memorization.md)
fi
"${run[@]}" "${extra[@]}"
