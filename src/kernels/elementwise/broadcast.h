// Iteration plans for element-wise ops whose inputs broadcast (numpy rules) to one output.
//
// A plan works on physical buffers: every input may be plain or NHWC, and the output may be
// either. Each input gets per-dimension element strides in the output's physical order (0
// along broadcast dimensions), and adjacent dimensions are merged wherever every operand
// stays contiguous across them. So same-shape inputs become one flat loop, a scalar operand
// becomes a stride-0 loop, and [N,C,H,W] + [C,1,1] becomes rows of H*W with a per-row bias.
// Plans are plain values; the map functions below split the output across threads.
#ifndef LITEMP_KERNELS_ELEMENTWISE_BROADCAST_H_
#define LITEMP_KERNELS_ELEMENTWISE_BROADCAST_H_

#include <algorithm>
#include <array>
#include <vector>

#include "core/parallel.h"
#include "kernels/util.h"

namespace litemp {

class BroadcastPlan {
 public:
  static constexpr int kMaxInputs = 3;

  // Plans out = f(inputs...) for tensors whose logical shapes broadcast together;
  // InvalidArgument when they do not. The output is blocked (kNchw8c), else NHWC, when
  // some input of dtype `out_dtype` has that layout and exactly the output's shape (so it
  // keeps the producer's layout without a reorder), plain otherwise. REQUIRES: 1 <= inputs.size() <= kMaxInputs.
  static Result<BroadcastPlan> Make(const std::vector<const Tensor*>& inputs, DType out_dtype);

  const Shape& out_shape() const { return out_shape_; }
  Layout out_layout() const { return out_layout_; }
  int64_t numel() const { return numel_; }
  int64_t inner() const { return dims_.back(); }
  // Element stride of input k along the innermost (merged) dimension.
  int64_t inner_stride(int k) const { return strides_[k].back(); }
  // Rows (of inner() elements) along the second-innermost dimension, 1 when there is none,
  // and input k's element stride from row to row there.
  int64_t depth() const { return dims_.size() < 2 ? 1 : dims_[dims_.size() - 2]; }
  int64_t row_stride(int k) const { return dims_.size() < 2 ? 0 : strides_[k][dims_.size() - 2]; }
  // Position at the start of an outer row (rows have inner() elements): the row's index
  // over the outer dims and each input's element offset there.
  struct Cursor {
    std::vector<int64_t> idx;
    std::array<int64_t, kMaxInputs> off{};
  };
  Cursor CursorAt(int64_t row) const {
    Cursor c;
    const int outer = static_cast<int>(dims_.size()) - 1;
    c.idx.assign(outer, 0);
    for (int d = outer - 1; d >= 0; --d) {
      c.idx[d] = row % dims_[d];
      row /= dims_[d];
      for (int k = 0; k < kMaxInputs; ++k) c.off[k] += c.idx[d] * strides_[k][d];
    }
    return c;
  }
  // Moves `c` on by n rows (odometer order) that stay within its run along the second-
  // innermost dimension: c->idx.back() + n <= depth().
  void AdvanceRows(Cursor* c, int64_t n) const {
    if (n <= 0 || c->idx.empty()) return;
    if (c->idx.back() + n < depth()) {
      c->idx.back() += n;
      for (int k = 0; k < kMaxInputs; ++k) c->off[k] += n * row_stride(k);
      return;
    }
    for (int k = 0; k < kMaxInputs; ++k) c->off[k] += (n - 1) * row_stride(k);
    c->idx.back() += n - 1;
    Advance(c);
  }
  // Moves `c` to the next row (odometer order).
  void Advance(Cursor* c) const {
    for (int d = static_cast<int>(c->idx.size()) - 1; d >= 0; --d) {
      for (int k = 0; k < kMaxInputs; ++k) c->off[k] += strides_[k][d];
      if (++c->idx[d] < dims_[d]) return;
      for (int k = 0; k < kMaxInputs; ++k) c->off[k] -= strides_[k][d] * dims_[d];
      c->idx[d] = 0;
    }
  }

 private:
  Shape out_shape_;
  Layout out_layout_ = Layout::kPlain;
  int64_t numel_ = 0;
  std::vector<int64_t> dims_;                              // merged physical dims
  std::array<std::vector<int64_t>, kMaxInputs> strides_;  // per input, per merged dim
};

// Calls fn(out_begin, offsets, n) for runs of n consecutive output elements; offsets[k] is
// input k's element offset for the first of them (later ones step by inner_stride(k)).
// Runs are split across threads; `cost` is a rough per-element cost for ParallelFor.
template <class F>
void ForEachBroadcastRun(const BroadcastPlan& p, int num_inputs, F&& fn, int64_t cost = 1) {
  const int64_t inner = p.inner();
  ParallelFor(
      p.numel(),
      [&](int64_t s, int64_t e) {
        int64_t col = s % inner;
        BroadcastPlan::Cursor c = p.CursorAt(s / inner);
        for (int64_t i = s; i < e;) {
          int64_t n = std::min(inner - col, e - i);
          std::array<int64_t, BroadcastPlan::kMaxInputs> off{};
          for (int k = 0; k < num_inputs; ++k) off[k] = c.off[k] + col * p.inner_stride(k);
          fn(i, off, n);
          i += n;
          col = 0;
          p.Advance(&c);
        }
      },
      cost);
}

// Calls fn(out_begin, offsets, rows) for runs of whole rows of inner() elements, consecutive
// along the second-innermost dimension (input k's offset steps by row_stride(k) from row
// to row): for plans whose rows are short, such as a channel-blocked tensor times one
// value per channel (rows of 8), where a call per row would cost more than its work.
template <class F>
void ForEachBroadcastRows(const BroadcastPlan& p, F&& fn, int64_t cost = 1) {
  const int64_t inner = p.inner();
  if (inner <= 0) return;
  ParallelFor(
      p.numel() / inner,
      [&](int64_t r0, int64_t r1) {
        BroadcastPlan::Cursor c = p.CursorAt(r0);
        for (int64_t r = r0; r < r1;) {
          const int64_t n = std::min(p.depth() - (c.idx.empty() ? 0 : c.idx.back()), r1 - r);
          fn(r * inner, c.off, n);
          r += n;
          if (r < r1) p.AdvanceRows(&c, n);
        }
      },
      cost * inner);
}

// out[i] = op(a[.], b[.]) over the plan. The contiguous and scalar-operand cases get their
// own loops so that they vectorise; short rows (as of a channel-blocked operand, 8) go a
// block of rows at a time.
template <class TA, class TB, class TO, class Op>
void BinaryMap(const BroadcastPlan& p, const TA* a, const TB* b, TO* out, Op op, int64_t cost = 1) {
  const int64_t sa = p.inner_stride(0), sb = p.inner_stride(1);
  if (p.inner() == 8 && sa == 1 && sb == 1 && p.depth() > 1) {
    const int64_t ra = p.row_stride(0), rb = p.row_stride(1);
    ForEachBroadcastRows(
        p,
        [&](int64_t o, const std::array<int64_t, 3>& off, int64_t rows) {
          for (int64_t r = 0; r < rows; ++r) {
            const TA* x = a + off[0] + r * ra;
            const TB* y = b + off[1] + r * rb;
            TO* z = out + o + r * 8;
            for (int i = 0; i < 8; ++i) z[i] = op(x[i], y[i]);
          }
        },
        cost);
    return;
  }
  ForEachBroadcastRun(
      p, 2,
      [&](int64_t o, const std::array<int64_t, 3>& off, int64_t n) {
        const TA* x = a + off[0];
        const TB* y = b + off[1];
        TO* z = out + o;
        if (sa == 1 && sb == 1) {
          for (int64_t i = 0; i < n; ++i) z[i] = op(x[i], y[i]);
        } else if (sa == 1 && sb == 0) {
          const TB yv = *y;
          for (int64_t i = 0; i < n; ++i) z[i] = op(x[i], yv);
        } else if (sa == 0 && sb == 1) {
          const TA xv = *x;
          for (int64_t i = 0; i < n; ++i) z[i] = op(xv, y[i]);
        } else {
          for (int64_t i = 0; i < n; ++i) z[i] = op(x[i * sa], y[i * sb]);
        }
      },
      cost);
}

// out[i] = op(a[.], b[.], c[.]) over the plan (used by Where).
template <class TA, class TB, class TC, class TO, class Op>
void TernaryMap(const BroadcastPlan& p, const TA* a, const TB* b, const TC* c, TO* out, Op op) {
  const int64_t sa = p.inner_stride(0), sb = p.inner_stride(1), sc = p.inner_stride(2);
  ForEachBroadcastRun(p, 3, [&](int64_t o, const std::array<int64_t, 3>& off, int64_t n) {
    const TA* x = a + off[0];
    const TB* y = b + off[1];
    const TC* w = c + off[2];
    TO* z = out + o;
    if (sa == 1 && sb == 1 && sc == 1) {
      for (int64_t i = 0; i < n; ++i) z[i] = op(x[i], y[i], w[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) z[i] = op(x[i * sa], y[i * sb], w[i * sc]);
    }
  });
}

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_BROADCAST_H_
