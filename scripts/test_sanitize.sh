#!/usr/bin/env bash
# Sanitizer pass: builds the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer
# into build-asan (-O1 -g1: line tables for the reports, a faster build than -g) and runs
# them, leaving out the ONNX backend suite, the ORT oracle and export-fidelity tests (node +
# ORT; also their native-kernel reruns) and the MobileNetV2 inference tests (slow under ASan).
# Without MPI: OpenMPI's own allocations would read as leaks; the ranks' logic is tested
# in-process (ThreadComm).
# Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DLITEMP_SANITIZE=ON -DLITEMP_BUILD_BENCH=OFF -DLITEMP_PYTHON=OFF -DLITEMP_MPI=OFF >/dev/null
targets=(test_core test_onnx test_exec test_data test_quant test_eval test_analysis test_report test_litemp test_prepare
         test_cli litemp_cli lite_mp)
for g in elementwise nn movement reduce dnnl; do targets+=("test_kernels_$g"); done
# Quiet on success; on a failed build, its last lines (the compiler's error) go to the log.
log=build-asan/ninja.log.txt
ninja -C build-asan "${targets[@]}" >"$log" 2>&1 || { tail -n 60 "$log"; exit 1; }
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
# The first report fails the test. Leak checking stays on: libgomp's and oneDNN's
# allocations are still reachable at exit, so no suppressions are needed.
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure -j2 -E 'NOT_BUILT|onnx_backend|MobileNet|native\.test_(export|oracle)' "$@"
