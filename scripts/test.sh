#!/usr/bin/env bash
# Runs every test (unit, kernel, ONNX backend conformance, ONNX Runtime oracle, CLI).
# Models and data come from ../shared (override with LITEMP_SHARED=/path/to/shared).
set -euo pipefail
cd "$(dirname "$0")/.."
ninja -C build >/dev/null
# Two test processes share two cores: spinning OpenMP workers would steal each other's time.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
ctest --test-dir build --output-on-failure -j2 "$@"
