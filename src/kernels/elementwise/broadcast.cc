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

// With a channel-blocked operand the channel axis (third from last) is split into
// (C/8, 8); every operand's logical strides are spread over the two parts.
std::vector<int64_t> SplitChannelStrides(const Tensor& t, const Shape& out) {
  const size_t r = out.size(), ca = r - 3;
  std::vector<int64_t> st(r + 1, 0);
  if (t.layout() != Layout::kNchw8c) {
    std::vector<int64_t> l = LogicalStrides(t, out);
    for (size_t i = 0; i < ca; ++i) st[i] = l[i];
    st[ca] = 8 * l[ca];
    st[ca + 1] = l[ca];
    for (size_t i = ca + 1; i < r; ++i) st[i + 1] = l[i];
    return st;
  }
  const Shape& s = t.shape();  // [N, C, H, W] stored [N][C/8][H][W][8]
  const int64_t phys[5] = {s[1] * s[2] * s[3], 8 * s[2] * s[3], 1, 8 * s[3], 8};
  const int64_t size[5] = {s[0], s[1] / 8, 8, s[2], s[3]};
  for (size_t i = 0; i < 5; ++i) st[r - 4 + i] = size[i] == 1 ? 0 : phys[i];
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
  bool blocked = false;
  for (const Tensor* t : inputs) blocked = blocked || t->layout() == Layout::kNchw8c;
  // A blocked operand has C % 8 == 0 and C > 0, so the output has its C (no broadcast).
  for (Layout l : {Layout::kNhwc, Layout::kNchw8c})
    if (p.out_shape_.size() == 4)
      for (const Tensor* t : inputs)
        if (t->layout() == l && t->dtype() == out_dtype && t->shape() == p.out_shape_) p.out_layout_ = l;
  const Layout out_layout = p.out_layout_;
  p.numel_ = NumElements(p.out_shape_);
  const int n = static_cast<int>(inputs.size());

  // Output dims and input strides in the output's physical order.
  Shape dims = p.out_shape_;
  std::vector<std::vector<int64_t>> st(n);
  std::vector<int> perm;
  if (blocked) {
    const int r = static_cast<int>(dims.size()), ca = r - 3;
    dims[ca] /= 8;
    dims.insert(dims.begin() + ca + 1, 8);
    for (int k = 0; k < n; ++k) st[k] = SplitChannelStrides(*inputs[k], p.out_shape_);
    for (int i = 0; i < ca; ++i) perm.push_back(i);
    // (C/8, 8, H, W) in plain order; NHWC walks (H, W, C/8, 8), blocked (C/8, H, W, 8).
    if (out_layout == Layout::kNhwc) perm.insert(perm.end(), {ca + 2, ca + 3, ca, ca + 1});
    else if (out_layout == Layout::kNchw8c) perm.insert(perm.end(), {ca, ca + 2, ca + 3, ca + 1});
    else perm.insert(perm.end(), {ca, ca + 1, ca + 2, ca + 3});
  } else {
    for (int k = 0; k < n; ++k) st[k] = LogicalStrides(*inputs[k], p.out_shape_);
    if (out_layout == Layout::kNhwc) perm = {0, 2, 3, 1};
  }
  if (!perm.empty()) {
    Shape d2(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) d2[i] = dims[perm[i]];
    dims = d2;
    for (auto& s : st) {
      std::vector<int64_t> s2(perm.size());
      for (size_t i = 0; i < perm.size(); ++i) s2[i] = s[perm[i]];
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
