#include "litemp/shared_prefix.h"

#include <cstring>

#include "litemp/quantsim.h"

namespace litemp {

namespace {

bool SameEncoding(const Encoding& a, const Encoding& b) {
  return a.min == b.min && a.max == b.max && a.scale == b.scale && a.offset == b.offset && a.steps == b.steps &&
         a.bitwidth == b.bitwidth && a.symmetric == b.symmetric;
}

// Whether the simulations' hooks do the same to value `id` (QuantSim::SimOptions): nothing
// in both, or the same fake-quantization.
bool SameHook(const QuantSim& a, const QuantSim& b, int id) {
  const Quantizer* qa = a.ActivationQuantizer(id);
  const Quantizer* qb = b.ActivationQuantizer(id);
  const bool on_a = qa && qa->enabled && qa->has_encoding();
  const bool on_b = qb && qb->enabled && qb->has_encoding();
  if (!on_a || !on_b) return on_a == on_b;
  if (qa->dtype != qb->dtype) return false;
  if (qa->dtype == QuantDType::kFloat16) return true;
  if (qa->encodings.size() != qb->encodings.size() || (qa->encodings.size() > 1 && qa->axis != qb->axis)) return false;
  for (size_t i = 0; i < qa->encodings.size(); ++i)
    if (!SameEncoding(qa->encodings[i], qb->encodings[i])) return false;
  return true;
}

bool SameBytes(const Tensor* a, const Tensor* b) {
  if (!a || !b) return a == b;
  if (a->raw_data() == b->raw_data() && a->shape() == b->shape() && a->layout() == b->layout()) return true;
  if (a->dtype() != b->dtype() || a->shape() != b->shape() || a->layout() != b->layout() || a->nbytes() != b->nbytes())
    return false;
  return std::memcmp(a->raw_data(), b->raw_data(), a->nbytes()) == 0;
}

// Whether a run may never hold value v: its only consumer is an elementwise op its producer's
// kernel can apply as it writes (exec/fusion.h). Taking it from the first run would cost that
// run the fusion (a pass over the value), more than the second gains.
bool MayFuseAway(const Graph& g, int v) {
  const Value& val = g.values[v];
  if (val.is_graph_output || val.consumers.size() != 1) return false;
  const Node& c = g.nodes[val.consumers[0]];
  return c.domain.empty() && (c.op_type == "Relu" || c.op_type == "Clip" || c.op_type == "Add");
}

}  // namespace

Result<SharedPrefix> PlanSharedPrefix(QuantSim& first, QuantSim& second) {
  SharedPrefix plan;
  if (&first.model() != &second.model()) return plan;
  LITEMP_RETURN_IF_ERROR(first.SyncConstants());
  LITEMP_RETURN_IF_ERROR(second.SyncConstants());
  const Graph& g = first.graph();
  const Graph& ga = first.executor().graph();   // holds the quantized constants
  const Graph& gb = second.executor().graph();
  // Value alike in both runs: constants by their bytes, graph inputs by their hooks,
  // node outputs by their producer (below) and hooks.
  std::vector<char> same(g.values.size(), 0);
  for (size_t id = 0; id < g.values.size(); ++id) {
    const Value& v = g.values[id];
    if (v.is_initializer) same[id] = SameBytes(ga.Constant(static_cast<int>(id)), gb.Constant(static_cast<int>(id)));
    else if (v.is_graph_input) same[id] = SameHook(first, second, static_cast<int>(id));
  }
  std::vector<char> reused(g.nodes.size(), 0);  // the second need not run it
  for (size_t i = 0; i < g.nodes.size(); ++i) {  // topological order
    const Node& n = g.nodes[i];
    bool inputs_alike = true;
    for (int in : n.inputs) inputs_alike = inputs_alike && (in < 0 || same[in]);
    bool outputs_alike = inputs_alike;
    for (int out : n.outputs) {
      if (out < 0) continue;
      same[out] = inputs_alike && SameHook(first, second, out);
      outputs_alike = outputs_alike && same[out];
    }
    reused[i] = outputs_alike;
  }
  // Start where the first run holds its values anyway (reverse order: a producer found here
  // has its own inputs checked later).
  for (size_t i = g.nodes.size(); i-- > 0;) {
    if (reused[i]) continue;
    for (int in : g.nodes[i].inputs) {
      const int p = in < 0 ? -1 : g.values[in].producer;
      if (p >= 0 && reused[p] && MayFuseAway(g, in)) reused[p] = 0;
    }
  }
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!reused[i]) plan.start_nodes.push_back(static_cast<int>(i));
  if (plan.start_nodes.empty()) {  // the same simulation: its outputs are the first's
    for (int o : g.outputs) {
      if (g.values[o].producer < 0) return SharedPrefix{};  // an input or constant: not kept
      plan.frontier.push_back(o);
    }
    plan.shared_nodes = static_cast<int>(g.nodes.size());
    return plan;
  }
  // The second runs the start nodes' downstream closure; whatever those read that a node
  // it does not run produces comes from the first, as do such graph outputs.
  std::vector<char> runs(g.nodes.size(), 0), wanted(g.values.size(), 0);
  for (int i : g.Downstream(plan.start_nodes)) runs[i] = 1;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (runs[i])
      for (int in : g.nodes[i].inputs)
        if (in >= 0) wanted[in] = 1;
  for (int o : g.outputs) wanted[o] = 1;
  for (size_t id = 0; id < g.values.size(); ++id) {
    const int p = g.values[id].producer;
    if (wanted[id] && p >= 0 && !runs[p]) plan.frontier.push_back(static_cast<int>(id));
  }
  for (size_t i = 0; i < g.nodes.size(); ++i) plan.shared_nodes += !runs[i];
  if (plan.shared_nodes == 0) plan.frontier.clear();
  return plan;
}

}  // namespace litemp
