#include "litemp/executor.h"

#include <chrono>
#include <exception>

#include "exec/fusion.h"
#include "kernels/kernel.h"

namespace litemp {

namespace {
std::string Where(const Node& n) { return "node '" + n.name + "' (" + n.op_type + ")"; }
}  // namespace

Status CheckSupported(const Graph& graph) {
  const KernelRegistry& reg = KernelRegistry::Global();
  std::string missing;
  std::map<std::string, int> seen;
  for (const Node& n : graph.nodes) {
    if (reg.Find(n.domain, n.op_type)) continue;
    std::string op = n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type;
    if (seen[op]++) continue;
    missing += (missing.empty() ? "" : ", ") + op + " (node '" + n.name + "')";
  }
  if (missing.empty()) return Status::OK();
  return Status::NotSupported("unsupported ops: " + missing);
}

Executor::Executor(const Graph& graph)
    : graph_(graph), kernels_(graph.nodes.size()), fused_into_(graph.nodes.size(), -1) {}
Executor::~Executor() = default;

Result<std::unique_ptr<Executor>> Executor::Create(const Graph& graph) {
  LITEMP_RETURN_IF_ERROR(CheckSupported(graph));
  std::unique_ptr<Executor> e(new Executor(graph));
  for (size_t i = 0; i < graph.nodes.size(); ++i) LITEMP_RETURN_IF_ERROR(e->EnsureKernel(static_cast<int>(i)));
  return e;
}

Status Executor::EnsureKernel(int i) {
  if (kernels_[i]) return Status::OK();
  const Node& n = graph_.nodes[i];
  const KernelFactory* f = KernelRegistry::Global().Find(n.domain, n.op_type);
  if (!f) return Status::NotSupported(Where(n) + ": unsupported op");
  try {
    auto k = (*f)(KernelInit(graph_, n));
    if (!k.ok()) return k.status().WithContext(Where(n));
    kernels_[i] = std::move(k).value();
  } catch (const std::exception& ex) {
    return Status::Internal(Where(n) + ": " + ex.what());
  }
  return Status::OK();
}

Status Executor::SetConstant(int id, Tensor t) {
  auto it = graph_.initializers.find(id);
  if (it == graph_.initializers.end())
    return Status::InvalidArgument("value '" + graph_.values[id].name + "' is not an initializer");
  if (it->second.shape() != t.shape() || it->second.dtype() != t.dtype())
    return Status::InvalidArgument("SetConstant('" + graph_.values[id].name + "'): shape or dtype differs");
  it->second = std::move(t);
  for (int c : graph_.values[id].consumers) {
    kernels_[c].reset();
    // A Conv that ran the depthwise (and 1x1) Conv after it (exec/fusion.h) keeps their
    // constants packed: rebuilt too.
    if (fused_into_[c] >= 0) kernels_[fused_into_[c]].reset();
  }
  return Status::OK();
}

Status Executor::Run(const std::unordered_map<int, Tensor>& feeds, const RunOptions& opt,
                     std::unordered_map<int, Tensor>* results) {
  const int num_nodes = static_cast<int>(graph_.nodes.size());
  const int num_values = static_cast<int>(graph_.values.size());
  if (opt.profile && static_cast<int>(opt.profile->size()) != num_nodes)
    return Status::InvalidArgument("profile: " + std::to_string(opt.profile->size()) + " entries for " +
                                   std::to_string(num_nodes) + " nodes");
  // Which values the caller wants.
  std::vector<char> wanted(num_values, 0);
  if (opt.fetch_graph_outputs)
    for (int o : graph_.outputs) wanted[o] = 1;
  for (int f : opt.fetch) {
    if (f < 0 || f >= num_values) return Status::InvalidArgument("fetch: bad value id " + std::to_string(f));
    wanted[f] = 1;
  }
  // Candidate nodes: all, or the downstream closure of start_nodes.
  std::vector<char> run(num_nodes, opt.start_nodes.empty() ? 1 : 0);
  if (!opt.start_nodes.empty())
    for (int i : graph_.Downstream(opt.start_nodes)) run[i] = 1;
  // Nodes whose every output is fed are not run.
  for (int i = 0; i < num_nodes; ++i) {
    if (!run[i]) continue;
    bool all_fed = true;
    for (int o : graph_.nodes[i].outputs)
      if (o >= 0 && !feeds.count(o)) all_fed = false;
    if (all_fed) run[i] = 0;
  }
  // Keep only nodes that contribute to a wanted value (backward sweep).
  std::vector<char> needed = wanted;
  for (int i = num_nodes - 1; i >= 0; --i) {
    if (!run[i]) continue;
    bool useful = false;
    for (int o : graph_.nodes[i].outputs)
      if (o >= 0 && needed[o]) useful = true;
    if (!useful) {
      run[i] = 0;
      continue;
    }
    for (int in : graph_.nodes[i].inputs)
      if (in >= 0) needed[in] = 1;
  }
  // Remaining uses of each value by nodes that run; freed at zero unless wanted.
  std::vector<int> uses(num_values, 0);
  for (int i = 0; i < num_nodes; ++i)
    if (run[i])
      for (int in : graph_.nodes[i].inputs)
        if (in >= 0) ++uses[in];

  std::vector<Tensor> vals(num_values);
  std::vector<Tensor> plain(num_values);  // plain copies of NHWC values, made on demand
  std::vector<char> hooked(num_values, 0);
  auto fetch_value = [&](int id, Tensor* out) -> Status {
    if (vals[id].defined()) {
      *out = vals[id];
      return Status::OK();
    }
    const Value& v = graph_.values[id];
    auto f = feeds.find(id);
    if (f != feeds.end()) {
      *out = f->second;
    } else if (const Tensor* c = graph_.Constant(id)) {
      *out = *c;
    } else if (opt.cache && id < static_cast<int>(opt.cache->size()) && (*opt.cache)[id].defined()) {
      *out = (*opt.cache)[id];
    } else {
      return Status::InvalidArgument(v.is_graph_input ? "missing graph input '" + v.name + "'"
                                                      : "value '" + v.name + "' is not available");
    }
    if (v.is_graph_input && opt.on_value && !hooked[id]) {
      hooked[id] = 1;
      LITEMP_RETURN_IF_ERROR(opt.on_value(id, out));
    }
    vals[id] = *out;
    return Status::OK();
  };

  ChainRules rules;
  rules.runs = [&](int node) { return run[node] != 0; };
  rules.materialise = [&](int v) { return wanted[v] || feeds.count(v) > 0; };
  rules.observed = [&](int v) { return opt.on_value && (!opt.observes || opt.observes(v)); };
  if (opt.quantize_step)
    rules.quantize = [&](int v, PostOp* q) { return opt.quantize_step(v, &q->scale, &q->lo, &q->hi); };
  std::vector<char> fused(num_nodes, 0);  // ran as a post-op of its producer
  auto release_inputs = [&](const Node& n) {
    for (int id : n.inputs) {
      if (id < 0) continue;
      if (--uses[id] == 0 && !wanted[id]) {
        vals[id] = Tensor();
        plain[id] = Tensor();
      }
    }
  };

  std::vector<Tensor> outs;
  std::vector<FusibleStep> chain;
  std::vector<PostOp> post;
  for (int i = 0; i < num_nodes; ++i) {
    if (!run[i]) continue;
    const Node& n = graph_.nodes[i];
    if (fused[i]) {
      release_inputs(n);
      continue;
    }
    LITEMP_RETURN_IF_ERROR(EnsureKernel(i));
    // Profiled time includes the input conversions, the kernel and the hooks on its outputs.
    const auto start = opt.profile ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    Kernel* k = kernels_[i].get();
    std::vector<const Tensor*> ins(n.inputs.size(), nullptr);
    for (size_t j = 0; j < n.inputs.size(); ++j) {
      int id = n.inputs[j];
      if (id < 0) continue;
      Tensor t;
      LITEMP_RETURN_IF_ERROR(fetch_value(id, &t).WithContext(Where(n)));
      const Layout l = vals[id].layout();
      if ((l == Layout::kNhwc && !k->AcceptsNhwc()) || (l == Layout::kNchw8c && !k->AcceptsBlocked())) {
        if (!plain[id].defined()) plain[id] = ToPlain(vals[id]);
        ins[j] = &plain[id];
      } else {
        ins[j] = &vals[id];
      }
    }
    // Offer the kernel the steps that may follow in it; an Add's or Mul's other input must be
    // ready.
    chain.clear();
    post.clear();
    if (k->TakesPostOps()) chain = FusibleChain(graph_, i, rules);
    for (const FusibleStep& f : chain) {
      bool fed = false;  // a fed Clip bound overrides the constant the chain read
      if (f.node >= 0)
        for (int in : graph_.nodes[f.node].inputs) fed = fed || (in >= 0 && feeds.count(in));
      if (fed) break;
      PostOp op = f.op;
      if (f.op.kind == PostOp::Kind::kAdd || f.op.kind == PostOp::Kind::kMul) {
        // As the node would read it: a kernel fuses it only in its output's layout, which is
        // then the layout the node would have written.
        if (const Tensor* c = graph_.Constant(f.operand)) op.operand = c;  // e.g. GELU's 1 and 0.5
        else if (vals[f.operand].defined()) op.operand = &vals[f.operand];
        else break;
      }
      if (f.op.kind == PostOp::Kind::kDepthwiseConv || f.op.kind == PostOp::Kind::kPointwiseConv) {
        const Node& c = graph_.nodes[f.node];
        op.conv = &c;
        op.operand = graph_.Constant(c.inputs[1]);
        op.bias = c.inputs.size() > 2 && c.inputs[2] >= 0 ? graph_.Constant(c.inputs[2]) : nullptr;
        if (!op.operand || (c.inputs.size() > 2 && c.inputs[2] >= 0 && !op.bias)) break;
      }
      post.push_back(op);
    }
    outs.assign(n.outputs.size(), Tensor());
    KernelContext ctx(n, std::move(ins), &outs, &post);
    Status s;
    try {
      s = k->Run(ctx);
    } catch (const std::exception& ex) {
      s = Status::Internal(ex.what());
    }
    if (!s.ok()) return s.WithContext(Where(n));
    const int applied = ctx.post_ops_applied();
    for (int j = 0; j < applied; ++j)
      for (int node : {chain[j].node, chain[j].node2}) {
        if (node < 0) continue;
        fused[node] = 1;
        fused_into_[node] = i;
        if (opt.profile) {
          ++(*opt.profile)[node].fused;
          (*opt.profile)[node].host = i;
        }
      }
    // The hook already ran, in the kernel, on a value whose last step was its quantization.
    const bool hooked_in_kernel = applied > 0 && chain[applied - 1].node < 0;
    for (size_t j = 0; j < n.outputs.size(); ++j) {
      int id = j == 0 && applied > 0 ? chain[applied - 1].output : n.outputs[j];
      if (id < 0) continue;
      if (!outs[j].defined())
        return Status::Internal(Where(n) + ": output " + std::to_string(j) + " was not produced");
      if (opt.on_value && !(j == 0 && hooked_in_kernel))
        LITEMP_RETURN_IF_ERROR(opt.on_value(id, &outs[j]).WithContext(Where(n)));
      vals[id] = std::move(outs[j]);
    }
    if (opt.profile) {
      (*opt.profile)[i].ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      ++(*opt.profile)[i].runs;
    }
    release_inputs(n);
  }
  results->clear();
  for (int id = 0; id < num_values; ++id) {
    if (!wanted[id]) continue;
    Tensor t;
    LITEMP_RETURN_IF_ERROR(fetch_value(id, &t));
    (*results)[id] = opt.plain_results ? ToPlain(t) : t;
  }
  return Status::OK();
}

Status Executor::Run(const std::map<std::string, Tensor>& feeds, std::vector<Tensor>* outputs) {
  std::unordered_map<int, Tensor> by_id;
  for (const auto& [name, t] : feeds) {
    int id = graph_.FindValue(name);
    if (id < 0 || !graph_.values[id].is_graph_input)
      return Status::InvalidArgument("'" + name + "' is not an input of the model");
    by_id[id] = t;
  }
  std::unordered_map<int, Tensor> res;
  LITEMP_RETURN_IF_ERROR(Run(by_id, RunOptions{}, &res));
  outputs->clear();
  for (int o : graph_.outputs) outputs->push_back(res[o]);
  return Status::OK();
}

}  // namespace litemp
