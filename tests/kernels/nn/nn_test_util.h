// Helpers for the nn kernel tests: a kernel run that keeps output layouts (RunKernel makes
// outputs plain), and naive references used as oracles.
#ifndef LITEMP_TESTS_KERNELS_NN_NN_TEST_UTIL_H_
#define LITEMP_TESTS_KERNELS_NN_NN_TEST_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "testutil/kernel_runner.h"

namespace litemp::test {

// NodeSpec without aggregate initialisation (which -Wextra flags for the omitted members).
inline NodeSpec Spec(std::string op, std::vector<std::pair<std::string, Attribute>> attrs = {}) {
  NodeSpec s;
  s.op_type = std::move(op);
  s.attrs = std::move(attrs);
  return s;
}

// Like RunKernel (all inputs at run time) but returns the outputs exactly as produced.
inline Result<std::vector<Tensor>> RunKeepLayout(RegisterFn reg, const NodeSpec& spec,
                                                 const std::vector<Tensor>& inputs) {
  KernelRegistry r;
  reg(&r);
  const KernelFactory* f = r.Find("", spec.op_type);
  if (!f) return Status::NotSupported("no kernel for " + spec.op_type);
  Graph g;
  Node n;
  n.name = "t";
  n.op_type = spec.op_type;
  n.opset = spec.opset;
  for (auto& [k, v] : spec.attrs) n.attrs.Set(k, v);
  for (size_t i = 0; i < inputs.size(); ++i) {
    int id = g.AddValue("in" + std::to_string(i));
    g.values[id].is_graph_input = true;
    n.inputs.push_back(id);
  }
  for (int i = 0; i < spec.num_outputs; ++i)
    n.outputs.push_back(g.AddValue("out" + std::to_string(i)));
  g.nodes.push_back(n);
  auto k = (*f)(KernelInit(g, g.nodes[0]));
  if (!k.ok()) return k.status();
  std::vector<const Tensor*> ins;
  for (const auto& t : inputs) ins.push_back(&t);
  std::vector<Tensor> outs(spec.num_outputs);
  KernelContext ctx(g.nodes[0], ins, &outs);
  Status s = k.value()->Run(ctx);
  if (!s.ok()) return s;
  return outs;
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_KERNELS_NN_NN_TEST_UTIL_H_
