// Helpers for the dnnl kernel tests: a harness that keeps one kernel alive across runs (to
// exercise the primitive cache and report which implementation ran), tensor builders and
// a max-relative-error comparison.
#ifndef LITEMP_TESTS_KERNELS_DNNL_DNNL_TEST_UTIL_H_
#define LITEMP_TESTS_KERNELS_DNNL_DNNL_TEST_UTIL_H_

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "testutil/kernel_runner.h"

namespace litemp::test {

// Creates the kernel K for one node (like RunKernel) and runs it any number of times.
// Inputs flagged in spec.constant_inputs are initializers fixed at creation.
template <class K>
class Harness {
 public:
  Harness(const NodeSpec& spec, const std::vector<Tensor>& init_inputs) {
    g_.opsets[""] = spec.opset;
    Node n;
    n.name = "test_" + spec.op_type;
    n.op_type = spec.op_type;
    n.opset = spec.opset;
    for (auto& [k, v] : spec.attrs) n.attrs.Set(k, v);
    for (size_t i = 0; i < init_inputs.size(); ++i) {
      if (!init_inputs[i].defined()) {
        n.inputs.push_back(-1);
        continue;
      }
      int id = g_.AddValue("in" + std::to_string(i));
      g_.values[id].dtype = init_inputs[i].dtype();
      if (i < spec.constant_inputs.size() && spec.constant_inputs[i]) {
        g_.values[id].is_initializer = true;
        g_.initializers[id] = init_inputs[i];
      } else {
        g_.values[id].is_graph_input = true;
      }
      n.inputs.push_back(id);
    }
    n.outputs.push_back(g_.AddValue("out0"));
    g_.nodes.push_back(n);
    kernel_ = std::make_unique<K>();
    init_status_ = kernel_->Init(KernelInit(g_, g_.nodes[0]));
  }
  const Status& init_status() const { return init_status_; }
  K& kernel() { return *kernel_; }

  // Runs once; the output keeps the layout the kernel produced. With `post_ops`, offers
  // them and sets *applied to how many the kernel applied.
  Result<Tensor> Run(const std::vector<Tensor>& inputs, const std::vector<PostOp>* post_ops = nullptr,
                     int* applied = nullptr) {
    std::vector<const Tensor*> ins;
    for (const auto& t : inputs) ins.push_back(t.defined() ? &t : nullptr);
    std::vector<Tensor> outs(1);
    KernelContext ctx(g_.nodes[0], ins, &outs, post_ops);
    Status s = kernel_->Run(ctx);
    if (!s.ok()) return s;
    if (applied) *applied = ctx.post_ops_applied();
    return outs[0];
  }

 private:
  Graph g_;
  std::unique_ptr<K> kernel_;
  Status init_status_;
};

// Switches the AVX-512 stand-ins (conv_avx512_as_avx2.h) on or off for the scope.
struct Avx512AsAvx2Scope {
  explicit Avx512AsAvx2Scope(bool on) { SetAvx512AsAvx2Enabled(on); }
  ~Avx512AsAvx2Scope() { SetAvx512AsAvx2Enabled(true); }
};
inline PostOp ClipOp(float lo, float hi) {
  PostOp op;
  op.kind = PostOp::Kind::kClip;
  op.lo = lo;
  op.hi = hi;
  return op;
}
inline PostOp QuantizeOp(float scale, float lo, float hi) {
  PostOp op;
  op.kind = PostOp::Kind::kQuantize;
  op.scale = scale;
  op.lo = lo;
  op.hi = hi;
  return op;
}
inline Tensor F32(std::vector<float> v, Shape shape) { return Tensor::FromVector<float>(v, shape); }

// 0, 1, 2, ... as float32 of `shape`.
inline Tensor Iota(const Shape& shape) {
  Tensor t(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = static_cast<float>(i);
  return t;
}

inline Tensor Filled(const Shape& shape, float v) {
  Tensor t(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = v;
  return t;
}

inline Tensor ToF64(const Tensor& f) {
  Tensor p = ToPlain(f);
  Tensor d(DType::kFloat64, p.shape());
  for (int64_t i = 0; i < p.numel(); ++i) d.data<double>()[i] = p.data<float>()[i];
  return d;
}

// Passes when max|a-b| <= rel * max|b| (plus a tiny floor for all-zero references),
// after converting both to plain float32/float64.
inline ::testing::AssertionResult MaxRelErrBelow(const Tensor& a0, const Tensor& b0, double rel = 1e-4) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  if (a.shape() != b.shape())
    return ::testing::AssertionFailure() << "shape " << ShapeToString(a.shape()) << " vs " << ShapeToString(b.shape());
  if (a.dtype() != b.dtype())
    return ::testing::AssertionFailure() << "dtype " << DTypeName(a.dtype()) << " vs " << DTypeName(b.dtype());
  auto at = [](const Tensor& t, int64_t i) {
    return t.dtype() == DType::kFloat64 ? t.data<double>()[i] : static_cast<double>(t.data<float>()[i]);
  };
  double maxref = 0, maxerr = 0;
  int64_t worst = -1;
  for (int64_t i = 0; i < b.numel(); ++i) maxref = std::max(maxref, std::fabs(at(b, i)));
  for (int64_t i = 0; i < b.numel(); ++i) {
    double e = std::fabs(at(a, i) - at(b, i));
    if (!(e <= maxerr)) {  // also catches NaN
      maxerr = std::isnan(e) ? INFINITY : e;
      worst = i;
    }
  }
  if (maxerr <= rel * std::max(maxref, 1e-6)) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "max abs error " << maxerr << " at element " << worst << " (" << at(a, worst)
                                       << " vs " << at(b, worst) << "), max |ref| " << maxref << ", shape "
                                       << ShapeToString(b.shape());
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_KERNELS_DNNL_DNNL_TEST_UTIL_H_
