#!/usr/bin/env bash
# The GPU benchmark in one command, on a machine with an NVIDIA GPU (or any Vulkan GPU), from
# the repository root, after `npm run gpu-bench:prepare` filled gpu-bench/ on a machine with
# the network: unpacks Node, Dawn and the Vulkan loader, points Dawn at the GPU driver's ICD,
# runs our sandwich bench on WebGPU at batch 128 and 512 and the PyTorch peer on CUDA, and
# prints one table. Output (JSON of both) goes to ${OUT:-gpu-bench/out}.
#
# Options (environment): SPACE (fashion), BATCHES ("128 512"), STEPS (10 timed), GPU_STEPS (100),
# PEER_DEVICE (cuda), PEER_STEPS (20), PYTHON (the first of python3, /usr/bin/python3 that imports
# torch). On a machine without a GPU (SwiftShader) use a small
# setting, e.g. SPACE=tiny BATCHES=8 STEPS=2 GPU_STEPS=12 PEER_DEVICE=cpu.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=gpu-bench
out=${OUT:-$dir/out}
SPACE=${SPACE:-fashion}
BATCHES=${BATCHES:-128 512}
STEPS=${STEPS:-10}
GPU_STEPS=${GPU_STEPS:-100}
PEER_DEVICE=${PEER_DEVICE:-cuda}
PEER_STEPS=${PEER_STEPS:-20}
for f in node.xz dawn.node.xz libvulkan1.deb bench.mjs.xz peer_torch.py space_fashion.json webgpu/index.js; do
  [ -e "$dir/$f" ] || { echo "gpu-bench/$f is missing: run npm run gpu-bench:prepare first" >&2; exit 2; }
done
# the peer needs a Python with torch; a pyenv or venv python3 first on PATH may lack it
if [ -z "${PYTHON:-}" ]; then
  for candidate in python3 /usr/bin/python3; do
    if "$candidate" -c 'import torch' 2>/dev/null; then PYTHON=$candidate; break; fi
  done
  PYTHON=${PYTHON:-python3}
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== unpacking into $work"
unxz() { python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; }
unxz "$dir/node.xz" "$work/node" && chmod +x "$work/node"
mkdir -p "$work/node_modules/webgpu/dist/linux-x64"
cp "$dir/webgpu/"* "$work/node_modules/webgpu/"
unxz "$dir/dawn.node.xz" "$work/node_modules/webgpu/dist/linux-x64/dawn.node"
unxz "$dir/bench.mjs.xz" "$work/bench.mjs"
mkdir -p "$work/vulkan"
if command -v dpkg-deb >/dev/null; then
  dpkg-deb -x "$dir/libvulkan1.deb" "$work/vulkan"
else
  (cd "$work/vulkan" && ar x "$OLDPWD/$dir/libvulkan1.deb" && tar xf data.tar.*)
fi
loader=$(dirname "$(find "$work/vulkan" -name 'libvulkan.so.1' | head -n 1)")
# the system's loader first when it has one; ours otherwise
if ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 '; then echo "Vulkan loader: the system's"; else export LD_LIBRARY_PATH="$loader:${LD_LIBRARY_PATH:-}"; echo "Vulkan loader: Debian's libvulkan1, carried"; fi

# a driver named in VK_DRIVER_FILES alone is the one to use (and to report)
[ -z "${VK_ICD_FILENAMES:-}" ] && [ -n "${VK_DRIVER_FILES:-}" ] && export VK_ICD_FILENAMES=$VK_DRIVER_FILES
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json; do
    [ -f "$icd" ] && { export VK_ICD_FILENAMES=$icd; break; }
  done
fi
if [ -z "${VK_ICD_FILENAMES:-}" ]; then
  first=$(ls /usr/local/nvidia/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json 2>/dev/null | head -n 1 || true)
  [ -n "$first" ] && export VK_ICD_FILENAMES=$first
fi
# newer Vulkan loaders read VK_DRIVER_FILES, older ones VK_ICD_FILENAMES: name the ICD in both
[ -n "${VK_ICD_FILENAMES:-}" ] && export VK_DRIVER_FILES=${VK_DRIVER_FILES:-$VK_ICD_FILENAMES}
echo "Vulkan driver (ICD): ${VK_ICD_FILENAMES:-none named, Dawn searches the system and then SwiftShader}"
export NAS_STUDIO_ROOT=$PWD
"$work/node" --version

for b in $BATCHES; do
  echo "== ours: WebGPU, $SPACE, batch $b"
  "$work/node" "$work/bench.mjs" --backends webgpu --forms native --space "$SPACE" --batch "$b" --steps "$STEPS" --gpu-steps "$GPU_STEPS" --no-attentive --no-extras --json "$out/ours-b$b.json"
done
for b in $BATCHES; do
  echo "== peer: PyTorch on $PEER_DEVICE, batch $b"
  "$PYTHON" "$dir/peer_torch.py" "$dir/space_fashion.json" --device "$PEER_DEVICE" --batch "$b" --steps "$PEER_STEPS" --out "$out/peer-b$b.json" | tail -n 4
done

echo "== result"
python3 - "$out" $BATCHES <<'PY'
import json, sys, os
out, batches = sys.argv[1], sys.argv[2:]
print(f"{'batch':>6} {'ours images/s':>14} {'kernels/step':>13} {'dispatches':>11} {'peer images/s':>14} {'ours/peer':>10}")
for b in batches:
    ours = next(r for r in json.load(open(os.path.join(out, f'ours-b{b}.json')))['rows'] if r['measure'] == 'sandwich')
    peer = json.load(open(os.path.join(out, f'peer-b{b}.json')))
    ips = ours.get('imagesPerSecond')
    ratio = f"{ips / peer['images_per_s']:.3f}" if ips else 'n/a'
    dispatches = ours.get('gpuDispatchesPerStep')
    print(f"{b:>6} {ips or 0:>14.1f} {ours.get('kernelsPerStep', 0):>13} {dispatches if dispatches is not None else 'n/a':>11} {peer['images_per_s']:>14.1f} {ratio:>10}")
    print(f"       adapter: {ours.get('adapter', '?')}; peer: torch {peer['torch']} on {peer['device']}")
PY
