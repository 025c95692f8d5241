#!/usr/bin/env bash
# Installs litemp's build dependencies (Debian 12 packages + onnxruntime-node from npm, the
# test oracle) and builds everything into ./build. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(build-essential cmake ninja-build pkg-config
  libonnx-dev libprotobuf-dev protobuf-compiler libdnnl-dev ocl-icd-opencl-dev
  nlohmann-json3-dev libcli11-dev libjpeg62-turbo-dev libpng-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libonnx-testdata nodejs
  pybind11-dev python3-dev python3-numpy python3-pytest
  libopenmpi-dev openmpi-bin)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Some Node.js builds bundle npm; Debian's own nodejs needs the separate npm package.
if ! command -v npm >/dev/null; then
  [ "$(id -u)" -ne 0 ] && SUDO="sudo" || SUDO=""
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
if [ ! -d node_modules/onnxruntime-node ]; then
  echo "setup: installing onnxruntime-node (test oracle)"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi

# MPI is installed above: require it, so the mpirun tests cannot be skipped silently.
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DLITEMP_MPI=ON >/dev/null
ninja -C build
