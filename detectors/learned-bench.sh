#!/usr/bin/env bash
# Inference benchmark of the learned fusion scorer in ONNX Runtime, as the gateway runs it (LearnedModel): the CPU
# provider, then the CUDA provider when an NVIDIA driver is present, at the batch sizes below.
#
#   detectors/learned-bench.sh [MODEL.onnx]     default: the model built into the gateway
#   LEARNED_BENCH_BATCHES=1,64,1024 LEARNED_BENCH_SECONDS=3 LEARNED_BENCH_THREADS=1 detectors/learned-bench.sh
#
# A CUDA run needs the CUDA 13 runtime and cuDNN 9 on the loader path (see load-tests/gpu-bench.sh); without them
# ONNX Runtime falls back to the CPU and the table's header says "on CPU".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
model="${1:-$root/gateway/src/GenSafety.Gateway/Detection/Learned/learned-scorer.onnx}"
batches="${LEARNED_BENCH_BATCHES:-1,64,1024}"
seconds="${LEARNED_BENCH_SECONDS:-3}"
threads="${LEARNED_BENCH_THREADS:-1}"
project="$here/src/GenSafety.Detectors.Training"

dotnet build "$project" -c Release --nologo -v quiet >/dev/null
tool="$project/bin/Release/net10.0/GenSafety.Detectors.Training.dll"

echo "== CPU"
dotnet "$tool" bench --model "$model" --batches "$batches" --seconds "$seconds" --provider cpu --threads "$threads"
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    echo "== CUDA ($(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1))"
    dotnet "$tool" bench --model "$model" --batches "$batches" --seconds "$seconds" --provider cuda --threads "$threads"
else
    echo "== CUDA: no NVIDIA driver found (nvidia-smi); skipped"
fi
