// ArgMax / ArgMin (opsets 1..13): keepdims and (opset 12+) select_last_index.
#include <vector>

#include "core/parallel.h"
#include "kernels/reduce/reduce.h"

namespace litemp::reduce {

namespace {

template <bool kIsMax, class T>
void ArgAlong(const T* x, int64_t* y, int64_t outer, int64_t k, int64_t inner, bool last) {
  ParallelFor(
      outer,
      [&](int64_t o0, int64_t o1) {
        std::vector<T> best(inner);
        for (int64_t o = o0; o < o1; ++o) {
          const T* xo = x + o * k * inner;
          int64_t* yo = y + o * inner;
          for (int64_t i = 0; i < inner; ++i) {
            best[i] = xo[i];
            yo[i] = 0;
          }
          for (int64_t j = 1; j < k; ++j) {
            const T* row = xo + j * inner;
            for (int64_t i = 0; i < inner; ++i) {
              const T v = row[i];
              const bool better = kIsMax ? (last ? v >= best[i] : v > best[i])
                                         : (last ? v <= best[i] : v < best[i]);
              if (better) {
                best[i] = v;
                yo[i] = j;
              }
            }
          }
        }
      },
      k * inner);
}

}  // namespace

template <bool kIsMax>
Status ArgReduceKernel<kIsMax>::Init(const KernelInit& init) {
  axis_ = init.attrs().GetInt("axis", 0);
  keepdims_ = init.attrs().GetInt("keepdims", 1) != 0;
  select_last_ = init.attrs().GetInt("select_last_index", 0) != 0;
  return Status::OK();
}

template <bool kIsMax>
Status ArgReduceKernel<kIsMax>::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() == 0) return Status::InvalidArgument("input is a scalar; expected rank >= 1");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(axis_, x.rank(), &axis));
  const int64_t k = x.dim(static_cast<int>(axis));
  if (k == 0)
    return Status::InvalidArgument("cannot take an index over empty axis " + std::to_string(axis_));
  int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = static_cast<int>(axis) + 1; i < x.rank(); ++i) inner *= x.dim(i);
  Shape out;
  for (int i = 0; i < x.rank(); ++i) {
    if (i != axis)
      out.push_back(x.dim(i));
    else if (keepdims_)
      out.push_back(1);
  }
  return DispatchNumeric(x.dtype(), [&]<class T>() {
    Tensor y(DType::kInt64, out);
    ArgAlong<kIsMax, T>(x.data<T>(), y.data<int64_t>(), outer, k, inner, select_last_);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

template class ArgReduceKernel<true>;
template class ArgReduceKernel<false>;

}  // namespace litemp::reduce
