#include "cli/model_flags.h"

#include <cstdlib>

#include "litemp/kernel_set.h"

namespace litemp::cli {

void ModelFlags::Add(CLI::App* cmd) {
  cmd->add_option("--shape", shapes, "NAME:D0,D1,... fixes an input's dims (N keeps one); repeatable")
      ->allow_extra_args(false)  // one value per --shape: the model after it is not a second one
      ->take_all();
  cmd->add_flag("--no-prepare", no_prepare, "quantize the model as given: no BatchNormalization/constant folding");
  AddKernelsFlag(cmd, &kernels);
}

void AddKernelsFlag(CLI::App* cmd, std::string* kernels) {
  cmd->add_option("--kernels", *kernels,
                  "portable (default: AVX2 kernels, the same results with or without AVX-512) or native (the CPU's "
                  "widest instructions: faster on AVX-512, results depend on the instruction set)");
}

Status CheckKernels(const std::string& kernels) {
  KernelSet k;
  if (kernels.empty()) {  // a bad LITEMP_KERNELS fails here, not in the first kernel
    const char* env = std::getenv("LITEMP_KERNELS");
    return env && *env ? ParseKernelSet(env, "LITEMP_KERNELS", &k) : Status::OK();
  }
  return ParseKernelSet(kernels, "--kernels", &k);
}

Status ApplyKernels(const std::string& kernels) {
  KernelSet k;
  if (kernels.empty()) return Status::OK();
  LITEMP_RETURN_IF_ERROR(ParseKernelSet(kernels, "--kernels", &k));
  return SetKernelSet(k);
}

Status ModelFlags::ToOptions(PrepareOptions* o) const {
  *o = PrepareOptions{};
  o->fold_bn = o->fold_constants = o->drop_identity = !no_prepare;
  for (const auto& text : shapes) {
    LITEMP_ASSIGN_OR_RETURN(InputShape s, ParseInputShape(text));
    o->shapes.push_back(std::move(s));
  }
  return CheckKernels(kernels);
}

Status ModelFlags::ApplyKernels() const { return cli::ApplyKernels(kernels); }

bool ModelFlags::KernelsChosen() const {
  const char* env = std::getenv("LITEMP_KERNELS");
  return !kernels.empty() || (env && *env);
}

bool CpuHasAvx512() {
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}

}  // namespace litemp::cli
