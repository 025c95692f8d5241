// Kernel interface and registry.
//
// A kernel is created once per node (Init parses and validates attributes, and may
// pre-pack constant inputs such as weights), then Run is called once per inference with
// the node's inputs. Kernels compute their output shapes from the actual input shapes, so
// one kernel serves any batch size. A kernel may keep caches (e.g. oneDNN primitives
// keyed by input shape); the executor never calls Run on one kernel from two threads.
#ifndef LITEMP_KERNELS_KERNEL_H_
#define LITEMP_KERNELS_KERNEL_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "litemp/graph.h"
#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// What a kernel sees at creation time.
class KernelInit {
 public:
  KernelInit(const Graph& graph, const Node& node) : graph_(graph), node_(node) {}
  const Node& node() const { return node_; }
  const Attributes& attrs() const { return node_.attrs; }
  int opset() const { return node_.opset; }
  int num_inputs() const { return static_cast<int>(node_.inputs.size()); }
  int num_outputs() const { return static_cast<int>(node_.outputs.size()); }
  bool has_input(int i) const { return i < num_inputs() && node_.inputs[i] >= 0; }
  // Data of input i when it is an initializer (or folded Constant); nullptr otherwise.
  const Tensor* constant_input(int i) const {
    return has_input(i) ? graph_.Constant(node_.inputs[i]) : nullptr;
  }
  // Static type info from shape inference (dtype may be kUndefined, dims may be -1).
  const Value* input_info(int i) const { return has_input(i) ? &graph_.values[node_.inputs[i]] : nullptr; }
  const Value* output_info(int i) const {
    return i < num_outputs() && node_.outputs[i] >= 0 ? &graph_.values[node_.outputs[i]] : nullptr;
  }
  // "node 'name' (OpType)" for messages.
  std::string where() const { return "node '" + node_.name + "' (" + node_.op_type + ")"; }

 private:
  const Graph& graph_;
  const Node& node_;
};

// A step the executor asks a kernel to apply to its output 0 (see Kernel::TakesPostOps):
// a consumer node nobody observes the value before, or the fake-quantization the value
// hook would apply (RunOptions::quantize_step).
struct PostOp {
  enum class Kind { kClip, kAdd, kMul, kQuantize, kSiLU, kDepthwiseConv, kPointwiseConv };
  Kind kind = Kind::kClip;
  // kClip: y = min(max(y, lo), hi); Relu is [0, +inf].
  // kQuantize: y = round_half_even(min(max(y / scale, lo), hi)) * scale, with NaN -> lo.
  // kSiLU: y = Sigmoid(y) * y, as a Sigmoid kernel that takes the Mul of its input by it
  // computes it (SiLUFloats: SigmoidFloats's value times y; a NaN y gives the Sigmoid's NaN).
  float lo = 0, hi = 0;
  float scale = 1;
  // kAdd: y = y + *operand; kMul: y = y * *operand (the Add's or Mul's other input, as the
  // node would read it: a kernel fuses it when it has the output's shape, dtype and layout,
  // and element-wise kernels also when it is a single value; see post_ops.h).
  const Tensor* operand = nullptr;
  // kDepthwiseConv: y = node `conv` (a depthwise Conv with constant weights *operand and
  // bias *bias or none) applied to y; its output's shape may differ from y's. Only a Conv
  // kernel applies it, after clips, fake-quantizations and SiLUs (exec/fusion.h); a kernel
  // that cannot stops its prefix there. The kernel may keep the constants packed: the
  // executor rebuilds it when they change (Executor::SetConstant).
  // kPointwiseConv: the same for a 1x1 Conv (one group) right after a kDepthwiseConv and
  // its clips, fake-quantizations and SiLUs: a kernel applies it only with that one.
  const Node* conv = nullptr;
  const Tensor* bias = nullptr;
};

// What a kernel sees at run time.
class KernelContext {
 public:
  KernelContext(const Node& node, std::vector<const Tensor*> inputs, std::vector<Tensor>* outputs,
                const std::vector<PostOp>* post_ops = nullptr)
      : node_(node), inputs_(std::move(inputs)), outputs_(outputs), post_ops_(post_ops) {}
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  // nullptr for an omitted optional input (or an index past the end).
  const Tensor* input(int i) const { return i < num_inputs() ? inputs_[i] : nullptr; }
  int num_outputs() const { return static_cast<int>(outputs_->size()); }
  // Kernels assign their results here: *ctx.output(0) = Tensor(...).
  Tensor* output(int i) { return &(*outputs_)[i]; }
  // True when the graph uses output i (optional outputs may be skipped).
  bool output_wanted(int i) const { return i < static_cast<int>(node_.outputs.size()) && node_.outputs[i] >= 0; }
  const Node& node() const { return node_; }
  // Post-ops offered by the executor, in order. The kernel applies a prefix of them to
  // output 0 and reports its length; the executor runs the rest as ordinary nodes.
  int num_post_ops() const { return post_ops_ ? static_cast<int>(post_ops_->size()) : 0; }
  const PostOp& post_op(int i) const { return (*post_ops_)[i]; }
  void set_post_ops_applied(int n) { post_ops_applied_ = n; }
  int post_ops_applied() const { return post_ops_applied_; }

 private:
  const Node& node_;
  std::vector<const Tensor*> inputs_;
  std::vector<Tensor>* outputs_;
  const std::vector<PostOp>* post_ops_;
  int post_ops_applied_ = 0;
};

class Kernel {
 public:
  Kernel() = default;
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;
  virtual ~Kernel() = default;

  // True if Run accepts inputs in Layout::kNhwc; otherwise the executor converts every
  // input to plain first. Kernels that accept NHWC must handle both layouts.
  virtual bool AcceptsNhwc() const { return false; }
  // Same for Layout::kNchw8c (rank-4, channel-blocked) inputs.
  virtual bool AcceptsBlocked() const { return false; }
  // True if Run may apply post-ops (KernelContext::post_op) to output 0.
  virtual bool TakesPostOps() const { return false; }
  // Computes the outputs. Errors need not name the node; the executor adds it.
  virtual Status Run(KernelContext& ctx) = 0;
};

using KernelFactory = std::function<Result<std::unique_ptr<Kernel>>(const KernelInit&)>;

// Kernels by (domain, op type). One factory handles every opset version of its op, reading
// attributes or inputs according to init.opset().
class KernelRegistry {
 public:
  // The registry with every built-in kernel (see kernel_table.cc).
  static const KernelRegistry& Global();

  void Add(const std::string& domain, const std::string& op_type, KernelFactory f);
  // nullptr when unsupported.
  const KernelFactory* Find(const std::string& domain, const std::string& op_type) const;
  std::vector<std::string> OpTypes() const;

 private:
  std::map<std::pair<std::string, std::string>, KernelFactory> table_;
};

// Registers a kernel class K with `Status K::Init(const KernelInit&)`.
template <class K>
void RegisterKernel(KernelRegistry* r, const std::string& op_type, const std::string& domain = "") {
  r->Add(domain, op_type, [](const KernelInit& init) -> Result<std::unique_ptr<Kernel>> {
    auto k = std::make_unique<K>();
    Status s = k->Init(init);
    if (!s.ok()) return s;
    return std::unique_ptr<Kernel>(std::move(k));
  });
}

// One registration function per kernel group (src/kernels/<group>/register.cc).
void RegisterElementwiseKernels(KernelRegistry* r);
void RegisterNnKernels(KernelRegistry* r);
void RegisterMovementKernels(KernelRegistry* r);
void RegisterReduceKernels(KernelRegistry* r);
void RegisterDnnlKernels(KernelRegistry* r);

}  // namespace litemp

#endif  // LITEMP_KERNELS_KERNEL_H_
