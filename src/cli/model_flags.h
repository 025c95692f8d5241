// Flags that say how a model is loaded, shared by analyze, run, eval and bench:
// `--shape NAME:D0,D1,...` (repeatable) fixes symbolic input dims and `--no-prepare` turns
// off model preparation (include/litemp/prepare.h), which is on by default; `--kernels
// portable|native` chooses the process's kernels (include/litemp/kernel_set.h).
#ifndef LITEMP_CLI_MODEL_FLAGS_H_
#define LITEMP_CLI_MODEL_FLAGS_H_

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "litemp/prepare.h"

namespace litemp::cli {

struct ModelFlags {
  std::vector<std::string> shapes;
  bool no_prepare = false;
  std::string kernels;  // empty: LITEMP_KERNELS, else portable

  void Add(CLI::App* cmd);
  // Validates --shape and --kernels (or LITEMP_KERNELS) and fills `out`: folds on unless
  // --no-prepare; shapes always.
  Status ToOptions(PrepareOptions* out) const;
  // Chooses --kernels for the process: call it once every flag is valid (a refused command
  // leaves the process's set alone) and before any model runs.
  Status ApplyKernels() const;
  // True when --kernels or LITEMP_KERNELS chose the kernels.
  bool KernelsChosen() const;
};

// --kernels portable|native (include/litemp/kernel_set.h), for every command that runs a model.
void AddKernelsFlag(CLI::App* cmd, std::string* kernels);
// Validates `kernels`, or LITEMP_KERNELS when it is empty and that is set.
Status CheckKernels(const std::string& kernels);
// Chooses `kernels` for the process (empty: leaves the choice); call once every flag is valid.
Status ApplyKernels(const std::string& kernels);

// True when the CPU has oneDNN's AVX-512 level (F, BW, VL, DQ), where native kernels differ.
bool CpuHasAvx512();

}  // namespace litemp::cli

#endif  // LITEMP_CLI_MODEL_FLAGS_H_
