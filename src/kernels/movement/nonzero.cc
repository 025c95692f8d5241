// NonZero: int64 [rank, count] coordinates of the nonzero elements in row-major order.
// Floats compare by value (so -0.0 is zero and NaN is nonzero); other types by bytes.
// A scalar input gives shape [1, count] (numpy's atleast_1d behaviour).
#include <algorithm>

#include "kernels/movement/movement.h"
#include "kernels/util.h"

namespace litemp::movement {
namespace {

template <class E, class IsNonZero>
std::vector<int64_t> NonZeroPositions(const Tensor& x, IsNonZero nz) {
  std::vector<int64_t> pos;
  const E* p = x.data<E>();
  for (int64_t i = 0; i < x.numel(); ++i)
    if (nz(p[i])) pos.push_back(i);
  return pos;
}

}  // namespace

Status NonZeroKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  std::vector<int64_t> pos;
  switch (x.dtype()) {
    case DType::kFloat32:
      pos = NonZeroPositions<float>(x, [](float v) { return v != 0.f; });
      break;
    case DType::kFloat64:
      pos = NonZeroPositions<double>(x, [](double v) { return v != 0.0; });
      break;
    case DType::kFloat16:
      pos = NonZeroPositions<uint16_t>(x, [](uint16_t v) { return (v & 0x7fff) != 0; });
      break;
    default: {
      Status s = DispatchBySize(x.dtype(), [&]<class E>() {
        pos = NonZeroPositions<E>(x, [](E v) { return v != 0; });
        return Status::OK();
      });
      if (!s.ok()) return s;
    }
  }
  const int r = x.rank();
  const int64_t count = static_cast<int64_t>(pos.size());
  Tensor y(DType::kInt64, {std::max(r, 1), count});
  int64_t* out = y.data<int64_t>();
  if (r == 0) {
    for (int64_t k = 0; k < count; ++k) out[k] = 0;
  }
  for (int64_t k = 0; k < count; ++k) {
    int64_t t = pos[k];
    for (int d = r - 1; d >= 0; --d) {
      out[d * count + k] = t % x.dim(d);
      t /= x.dim(d);
    }
  }
  *ctx.output(0) = std::move(y);
  return Status::OK();
}

}  // namespace litemp::movement
