#include "kernels/elementwise/broadcast.h"

#include <cassert>

namespace litemp {

namespace {

// Element strides of `t` indexed by the output's logical dims (right-aligned), 0 where
// `t` is broadcast. NHWC buffers store (n, c, h, w) at ((n*H + h)*W + w)*C + c.
std::vector<int64_t> LogicalStrides(const Tensor& t, const Shape& out) {
  if (t.layout() == Layout::kPlain) return BroadcastStrides(t.shape(), out);
  const Shape& s = t.shape();
  assert(s.size() == 4);
  std::array<int64_t, 4> phys = {s[2] * s[3] * s[1], 1, s[3] * s[1], s[1]};
  std::vector<int64_t> st(out.size(), 0);
  size_t off = out.size() - 4;
  for (size_t i = 0; i < 4; ++i) st[off + i] = s[i] == 1 ? 0 : phys[i];
  return st;
}

}  // namespace

Result<BroadcastPlan> BroadcastPlan::Make(const std::vector<const Tensor*>& inputs, DType out_dtype) {
  assert(!inputs.empty() && inputs.size() <= kMaxInputs);
  BroadcastPlan p;
  p.out_shape_ = inputs[0]->shape();
  for (size_t k = 1; k < inputs.size(); ++k) {
    LITEMP_ASSIGN_OR_RETURN(p.out_shape_, BroadcastShapes(p.out_shape_, inputs[k]->shape()));
  }
  if (p.out_shape_.size() == 4)
    for (const Tensor* t : inputs)
      if (t->layout() == Layout::kNhwc && t->dtype() == out_dtype && t->shape() == p.out_shape_)
        p.out_layout_ = Layout::kNhwc;
  const Layout out_layout = p.out_layout_;
  p.numel_ = NumElements(p.out_shape_);
  const int n = static_cast<int>(inputs.size());

  // Output dims and input strides in the output's physical order.
  Shape dims = p.out_shape_;
  std::vector<std::vector<int64_t>> st(n);
  for (int k = 0; k < n; ++k) st[k] = LogicalStrides(*inputs[k], p.out_shape_);
  if (out_layout == Layout::kNhwc) {
    const int perm[4] = {0, 2, 3, 1};
    Shape d2(4);
    for (int i = 0; i < 4; ++i) d2[i] = dims[perm[i]];
    dims = d2;
    for (auto& s : st) {
      std::vector<int64_t> s2(4);
      for (int i = 0; i < 4; ++i) s2[i] = s[perm[i]];
      s = s2;
    }
  }

  // Drop size-1 dims, then merge neighbours that every operand walks contiguously.
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] == 1) continue;
    bool merge = !p.dims_.empty();
    for (int k = 0; k < n && merge; ++k) merge = p.strides_[k].back() == st[k][d] * dims[d];
    if (merge) {
      p.dims_.back() *= dims[d];
      for (int k = 0; k < n; ++k) p.strides_[k].back() = st[k][d];
    } else {
      p.dims_.push_back(dims[d]);
      for (int k = 0; k < n; ++k) p.strides_[k].push_back(st[k][d]);
    }
  }
  if (p.dims_.empty()) {  // a single element (or rank 0)
    p.dims_.push_back(1);
    for (int k = 0; k < n; ++k) p.strides_[k].push_back(0);
  }
  for (int k = n; k < kMaxInputs; ++k) p.strides_[k].assign(p.dims_.size(), 0);
  return p;
}

}  // namespace litemp
