#include "kernels/kernel.h"

namespace litemp {

void KernelRegistry::Add(const std::string& domain, const std::string& op_type, KernelFactory f) {
  table_[{domain, op_type}] = std::move(f);
}

const KernelFactory* KernelRegistry::Find(const std::string& domain, const std::string& op_type) const {
  auto it = table_.find({domain == "ai.onnx" ? "" : domain, op_type});
  return it == table_.end() ? nullptr : &it->second;
}

std::vector<std::string> KernelRegistry::OpTypes() const {
  std::vector<std::string> r;
  for (const auto& [k, v] : table_) r.push_back(k.first.empty() ? k.second : k.first + "::" + k.second);
  return r;
}

}  // namespace litemp
