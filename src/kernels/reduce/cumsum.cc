// CumSum (opsets 11, 14).
#include <type_traits>
#include <vector>

#include "core/parallel.h"
#include "kernels/reduce/reduce.h"

namespace litemp::reduce {

Status CumSumKernel::Init(const KernelInit& init) {
  exclusive_ = init.attrs().GetInt("exclusive", 0) != 0;
  reverse_ = init.attrs().GetInt("reverse", 0) != 0;
  LITEMP_CHECK(init.num_inputs() == 2,
               "expected inputs x, axis; got " + std::to_string(init.num_inputs()));
  return Status::OK();
}

Status CumSumKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (!ctx.input(1)) return Status::InvalidArgument("axis input is missing");
  LITEMP_ASSIGN_OR_RETURN(std::vector<int64_t> av, ToInt64Vector(*ctx.input(1)));
  if (av.size() != 1)
    return Status::InvalidArgument("axis input has " + std::to_string(av.size()) +
                                   " values, expected 1");
  if (x.rank() == 0) return Status::InvalidArgument("input is a scalar; expected rank >= 1");
  int64_t axis;
  LITEMP_RETURN_IF_ERROR(NormalizeAxis(av[0], x.rank(), &axis));
  int64_t outer = 1, inner = 1;
  const int64_t k = x.dim(static_cast<int>(axis));
  for (int i = 0; i < axis; ++i) outer *= x.dim(i);
  for (int i = static_cast<int>(axis) + 1; i < x.rank(); ++i) inner *= x.dim(i);
  return DispatchNumeric(x.dtype(), [&]<class T>() {
    // Floats accumulate in double; integers wrap in their own type as in numpy.
    using A = std::conditional_t<std::is_floating_point_v<T>, double, T>;
    Tensor y(x.dtype(), x.shape());
    const T* xd = x.data<T>();
    T* yd = y.data<T>();
    ParallelFor(
        outer,
        [&](int64_t o0, int64_t o1) {
          std::vector<A> acc(inner);
          for (int64_t o = o0; o < o1; ++o) {
            std::fill(acc.begin(), acc.end(), A(0));
            for (int64_t step = 0; step < k; ++step) {
              const int64_t j = reverse_ ? k - 1 - step : step;
              const T* row = xd + (o * k + j) * inner;
              T* out = yd + (o * k + j) * inner;
              if (exclusive_) {
                for (int64_t i = 0; i < inner; ++i) {
                  out[i] = static_cast<T>(acc[i]);
                  acc[i] += static_cast<A>(row[i]);
                }
              } else {
                for (int64_t i = 0; i < inner; ++i) {
                  acc[i] += static_cast<A>(row[i]);
                  out[i] = static_cast<T>(acc[i]);
                }
              }
            }
          }
        },
        k * inner);
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp::reduce
