#!/usr/bin/env bash
# GPU benchmark of the detection embedders: MiniLM on ONNX Runtime's CUDA provider against the CPU provider, and
# the hashing embedder, as one markdown table (GenSafety.DetectorBenchmarks).
#
#   load-tests/gpu-bench.sh                    build (needs the .NET SDK), check CUDA, run
#   load-tests/gpu-bench.sh --publish DIR      build a framework-dependent copy into DIR and stop; copy DIR to a
#                                              CUDA machine that has only the .NET runtime and run
#                                              DIR/gpu-bench.sh there
#   GPU_BENCH_BATCHES=1,8,32,128 GPU_BENCH_SECONDS=5 load-tests/gpu-bench.sh
#
# What a CUDA run needs: an NVIDIA driver (nvidia-smi), the CUDA 13 runtime libraries (libcudart.so.13, libcublas,
# libcublasLt) and cuDNN 9 (libcudnn.so.9) on the loader path; Microsoft.ML.OnnxRuntime.Gpu 1.32.0 ships the CUDA
# provider itself. Without them the script says what is missing, and prints the CPU numbers: the CUDA row then
# shows the CPU provider (MiniLmEmbedder falls back to the CPU with a warning). The exit status is 0 in both cases;
# it is 1 when the benchmark itself fails.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
batches="${GPU_BENCH_BATCHES:-1,8,32,128}"
seconds="${GPU_BENCH_SECONDS:-3}"

say() { printf '==> %s\n' "$*"; }

# The benchmark DLL: next to this script in a published copy, else built from the repository.
find_or_build() {
  if [[ -f "$here/GenSafety.DetectorBenchmarks.dll" ]]; then
    printf '%s\n' "$here/GenSafety.DetectorBenchmarks.dll"
    return
  fi
  local project="$here/GenSafety.DetectorBenchmarks"
  [[ -d "$project" ]] || { echo "gpu-bench.sh: neither a published copy nor the project next to this script" >&2; exit 1; }
  command -v dotnet >/dev/null 2>&1 || { echo "gpu-bench.sh: dotnet is not on PATH" >&2; exit 1; }
  say "building GenSafety.DetectorBenchmarks (Release)" >&2
  dotnet build "$project" -c Release -v q --nologo >&2
  printf '%s\n' "$project/bin/Release/net10.0/GenSafety.DetectorBenchmarks.dll"
}

if [[ "${1:-}" == "--publish" ]]; then
  out="${2:?--publish needs a folder}"
  dotnet publish "$here/GenSafety.DetectorBenchmarks" -c Release -o "$out" -v q --nologo
  cp "$here/gpu-bench.sh" "$out/"
  say "published to $out: copy it to the CUDA machine and run $out/gpu-bench.sh"
  exit 0
fi

# --- what the machine offers ------------------------------------------------------------------------------
library_present() {
  ldconfig -p 2>/dev/null | grep -q "$1" && return 0
  local dir
  IFS=':' read -r -a dirs <<<"${LD_LIBRARY_PATH:-}"
  for dir in "${dirs[@]}"; do
    [[ -n "$dir" ]] && compgen -G "$dir/$1*" >/dev/null && return 0
  done
  return 1
}

missing=()
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  say "GPU: $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
else
  missing+=("an NVIDIA GPU with its driver (nvidia-smi)")
fi
for library in libcudart.so.13 libcublasLt.so.13 libcublas.so.13 libcudnn.so.9; do
  library_present "$library" || missing+=("$library")
done

dll="$(find_or_build)"
say "$(dotnet --list-runtimes 2>/dev/null | grep -m 1 'Microsoft.NETCore.App' || echo 'no .NET runtime listed')"

status=0
if ((${#missing[@]} == 0)); then
  say "CUDA found: MiniLM on the CUDA provider, then the CPU provider for the ratio"
  dotnet "$dll" --provider cuda --batches "$batches" --seconds "$seconds" || status=1
  dotnet "$dll" --provider cpu --batches "$batches" --seconds "$seconds" --skip-hashing || status=1
else
  joined="$(printf '%s, ' "${missing[@]}")"
  say "no CUDA on this machine: missing ${joined%, }"
  say "printing the CPU numbers instead"
  dotnet "$dll" --provider cpu --batches "$batches" --seconds "$seconds" || status=1
fi
exit "$status"
