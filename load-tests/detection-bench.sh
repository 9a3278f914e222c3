#!/usr/bin/env bash
# Detection benchmark: builds the gateway and the traffic generator (Release), starts a private redis-server,
# then runs the attack matrix through a gateway with detection on (the reference model behind it, clients created
# on its admin API), runs A4 once more with the attacker keys pinned to L2 (the fidelity reference), and scores
# everything: a CSV per campaign and per benign persona in load-tests/results/, and the markdown tables written
# into docs/detection.md between the detection-benchmark:results markers.
#
#   load-tests/detection-bench.sh                      the reduced matrix (6–14 min on 2 cores)
#   load-tests/detection-bench.sh --matrix ci          the CI tests' matrix, all rows (~14 min)
#   load-tests/detection-bench.sh --matrix adaptive    the sybil splits in the adaptive variants (interleave, wording, both) at 25 %
#   load-tests/detection-bench.sh --matrix mixes       the sybil splits inside heavy benign traffic (5 % and 10 % attack)
#   load-tests/detection-bench.sh --matrix full        every family x 1/10/100 keys x 5/10/25/50 % x 4 variants (~a week)
#   load-tests/detection-bench.sh --no-docs            leave docs/detection.md alone
#   load-tests/detection-bench.sh -- --seed 11 ...     further options for every `bench` run (GenSafety.Traffic)
#
# DETECTION_BENCH_REDIS=host:port uses a running Redis instead of starting one (keys get a fresh prefix).
# DETECTION_BENCH_NO_BUILD=1 skips the builds.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

matrix="reduced"
write_docs=1
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --matrix) matrix="${2:?--matrix needs ci, reduced, adaptive, mixes or full}"; shift 2 ;;
    --matrix=*) matrix="${1#*=}"; shift ;;
    --no-docs) write_docs=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "detection-bench.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# Each matrix fixes the ATTACK budget (--attack-queries, cover excluded) and derives the benign volume from the mix,
# so that a 100-key split at 5 % is still an attack that would succeed undefended (docs/detection.md explains).
case "$matrix" in
  ci)
    matrix_args=(--scenario all --sybils "1,10" --mix 0.5 --adaptive none --attack-queries 150 --benign-load 5)
    benign_args=(--scenario benign --queries 600 --benign-clients 300)
    a4_args=(--scenario A4 --sybils "1" --mix 0.5 --attack-queries 150 --benign-load 5)
    ;;
  reduced)
    matrix_args=(--scenario all --sybils "1,10,100" --mix 0.5 --adaptive none --attack-queries 300 --benign-load 5)
    benign_args=(--scenario benign --queries 2000 --benign-clients 1000)
    a4_args=(--scenario A4 --sybils "1" --mix 0.5 --attack-queries 300 --benign-load 5)
    ;;
  adaptive)
    matrix_args=(--scenario all --sybils "10,100" --mix 0.25 --adaptive "interleave,wording,both" --attack-queries 300 --benign-load 5)
    benign_args=(--scenario benign --queries 1000 --benign-clients 500)
    a4_args=(--scenario A4 --sybils "1" --mix 0.25 --attack-queries 300 --benign-load 5)
    ;;
  mixes)
    matrix_args=(--scenario all --sybils "10,100" --mix "0.05,0.1" --adaptive none --attack-queries 150 --benign-load 5)
    benign_args=(--scenario benign --queries 1000 --benign-clients 500)
    a4_args=(--scenario A4 --sybils "1" --mix 0.05 --attack-queries 300 --benign-load 5)
    ;;
  full)
    matrix_args=(--scenario all --sybils "1,10,100" --mix "0.05,0.1,0.25,0.5" --adaptive "none,interleave,wording,both" --attack-queries 1120 --benign-load 20)
    benign_args=(--scenario benign --queries 20000 --benign-clients 1000)
    a4_args=(--scenario A4 --sybils "1" --mix 0.25 --attack-queries 1120 --benign-load 20)
    ;;
  *) echo "detection-bench.sh: --matrix takes ci, reduced, adaptive, mixes or full, got '$matrix'" >&2; exit 2 ;;
esac

gateway_dll="gateway/src/GenSafety.Gateway/bin/Release/net10.0/GenSafety.Gateway.dll"
traffic_dll="load-tests/GenSafety.Traffic/bin/Release/net10.0/GenSafety.Traffic.dll"
if [[ "${DETECTION_BENCH_NO_BUILD:-0}" != "1" ]]; then
  for project in gateway/src/GenSafety.Gateway/GenSafety.Gateway.csproj load-tests/GenSafety.Traffic/GenSafety.Traffic.csproj; do
    echo "building $project (Release)" >&2
    dotnet build -c Release --nologo -v quiet "$project" >&2
  done
fi

redis_pid=""
cleanup() {
  if [[ -n "$redis_pid" ]]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT INT TERM

redis="${DETECTION_BENCH_REDIS:-}"
if [[ -z "$redis" ]]; then
  command -v redis-server >/dev/null || { echo "detection-bench.sh: redis-server not found (apt-get install redis-server)" >&2; exit 1; }
  for port in $(seq 6710 6790); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      continue
    fi
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning >/dev/null 2>&1 &
    redis_pid=$!
    for _ in $(seq 50); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && break
      sleep 0.1
    done
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      redis="127.0.0.1:$port"
      break
    fi
    kill "$redis_pid" 2>/dev/null || true
    redis_pid=""
  done
  [[ -n "$redis" ]] || { echo "detection-bench.sh: could not start redis-server on ports 6710-6790" >&2; exit 1; }
  echo "started redis-server (pid $redis_pid) on $redis" >&2
fi

results="load-tests/results"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
matrix_out="$results/detection-$matrix-$stamp.jsonl"
benign_out="$results/detection-$matrix-$stamp-benign.jsonl"
a4_out="$results/detection-$matrix-$stamp-a4-l2.jsonl"
bench=(dotnet "$traffic_dll" bench --gateway-dll "$gateway_dll" --redis "$redis")
start=$SECONDS

echo "== matrix ($matrix)" >&2
"${bench[@]}" "${matrix_args[@]}" --out "$matrix_out" "${extra[@]}"
echo "== benign-only campaign" >&2
"${bench[@]}" "${benign_args[@]}" --out "$benign_out" "${extra[@]}"
echo "== A4 with the attacker keys pinned to L2 (fidelity reference)" >&2
"${bench[@]}" "${a4_args[@]}" --attack-level L2 --out "$a4_out" "${extra[@]}"

score=(dotnet "$traffic_dll" score --in "$matrix_out,$benign_out,$a4_out" --csv "$results/detection-$matrix-$stamp.csv"
  --command "load-tests/detection-bench.sh --matrix $matrix (took $(((SECONDS - start + 30) / 60)) min)")
if [[ "$write_docs" == 1 ]]; then
  score+=(--docs docs/detection.md)
fi
"${score[@]}"
echo "detection benchmark ($matrix) took $(((SECONDS - start + 30) / 60)) min; records: $matrix_out, $benign_out, $a4_out" >&2
