// TopK: the k largest (or smallest, opset 11 'largest'=0) values along 'axis' and their
// int64 indices. k is an attribute before opset 10 and a one-element input from 10.
// Results are always sorted; equal values keep the lower index first, and NaN counts as
// larger than every number (numpy's sort order), so the order is well defined.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/parallel.h"
#include "kernels/movement/common.h"
#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

template <class K>
bool Less(K a, K b) {
  if constexpr (std::is_floating_point_v<K>) {
    if (std::isnan(b)) return !std::isnan(a);
    if (std::isnan(a)) return false;
  }
  return a < b;
}

// S is the storage type, key(S) gives a comparable value.
template <class S, class KeyFn>
void TopKImpl(const S* x, S* vals, int64_t* inds, int64_t outer, int64_t dim, int64_t inner, int64_t k, bool largest,
              KeyFn key) {
  ParallelFor(
      outer * inner,
      [&](int64_t b, int64_t e) {
        std::vector<int64_t> order(dim);
        for (int64_t it = b; it < e; ++it) {
          const int64_t o = it / inner, i = it % inner;
          const S* base = x + o * dim * inner + i;
          std::iota(order.begin(), order.end(), 0);
          auto cmp = [&](int64_t p, int64_t q) {
            auto kp = key(base[p * inner]), kq = key(base[q * inner]);
            if (largest ? Less(kq, kp) : Less(kp, kq)) return true;
            if (largest ? Less(kp, kq) : Less(kq, kp)) return false;
            return p < q;
          };
          std::partial_sort(order.begin(), order.begin() + k, order.end(), cmp);
          for (int64_t j = 0; j < k; ++j) {
            const int64_t out = (o * k + j) * inner + i;
            vals[out] = base[order[j] * inner];
            inds[out] = order[j];
          }
        }
      },
      dim * 8);
}

}  // namespace

Status TopKKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  axis_ = init.attrs().GetInt("axis", -1);
  if (opset_ >= 11) largest_ = init.attrs().GetInt("largest", 1) != 0;
  if (opset_ < 10) {
    if (!init.attrs().Has("k")) return Status::InvalidArgument("missing required attribute 'k'");
    attr_k_ = init.attrs().GetInt("k", 0);
  }
  return Status::OK();
}

Status TopKKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  int64_t k = attr_k_;
  if (opset_ >= 10) {
    if (!ctx.input(1)) return Status::InvalidArgument("missing the 'K' input");
    LITEMP_ASSIGN_OR_RETURN(k, ReadScalarInt(*ctx.input(1), "K"));
  }
  const int r = x.rank();
  if (r == 0) return Status::InvalidArgument("input must have rank >= 1");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, r, &axis));
  const int64_t dim = x.dim(static_cast<int>(axis));
  if (k < 0 || k > dim)
    return Status::InvalidArgument("k = " + std::to_string(k) + " is outside [0, " + std::to_string(dim) +
                                   "] for axis " + std::to_string(axis) + " of " + ShapeToString(x.shape()));
  Shape out = x.shape();
  out[axis] = k;
  int64_t outer = 1, inner = 1;
  for (int d = 0; d < axis; ++d) outer *= x.dim(d);
  for (int d = static_cast<int>(axis) + 1; d < r; ++d) inner *= x.dim(d);
  Tensor vals(x.dtype(), out), inds(DType::kInt64, out);
  if (k > 0) {
    if (x.dtype() == DType::kFloat16) {
      TopKImpl(x.data<uint16_t>(), vals.data<uint16_t>(), inds.data<int64_t>(), outer, dim, inner, k, largest_,
               [](uint16_t h) { return HalfToFloat(h); });
    } else {
      LITEMP_RETURN_IF_ERROR(DispatchNumeric(x.dtype(), [&]<class T>() {
        TopKImpl(x.data<T>(), vals.data<T>(), inds.data<int64_t>(), outer, dim, inner, k, largest_,
                 [](T v) { return v; });
        return Status::OK();
      }));
    }
  }
  *ctx.output(0) = std::move(vals);
  if (ctx.num_outputs() > 1) *ctx.output(1) = std::move(inds);
  return Status::OK();
}

}  // namespace litemp::movement
