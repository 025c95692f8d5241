// ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1, ReduceL2, ReduceLogSum,
// ReduceLogSumExp, ReduceSumSquare (opsets 1..20).
#include "kernels/reduce/reduce.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/reduce/reduce_plan.h"

namespace litemp::reduce {

namespace {

constexpr bool IsExactOp(ReduceOp op) {
  return op == ReduceOp::kSum || op == ReduceOp::kProd || op == ReduceOp::kSumSquare ||
         op == ReduceOp::kL1;
}

// Fold rules of one op for element type T. A is the accumulator: T for max/min, double
// for floats and for inexact integer ops, int64 for exact integer ops.
template <ReduceOp kOp, class T>
struct Fold {
  static constexpr bool kMaxMin = kOp == ReduceOp::kMax || kOp == ReduceOp::kMin;
  using A = std::conditional_t<
      kMaxMin, T, std::conditional_t<std::is_integral_v<T> && IsExactOp(kOp), int64_t, double>>;
  static A Init() {
    if constexpr (kOp == ReduceOp::kMax)
      return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                  : std::numeric_limits<T>::lowest();
    if constexpr (kOp == ReduceOp::kMin)
      return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                                  : std::numeric_limits<T>::max();
    if constexpr (kOp == ReduceOp::kProd) return A(1);
    return A(0);
  }
  // `aux` is the per-output maximum for LogSumExp, unused otherwise.
  static A Step(A a, T x, double aux) {
    if constexpr (kOp == ReduceOp::kMax) return std::max(a, x);
    if constexpr (kOp == ReduceOp::kMin) return std::min(a, x);
    if constexpr (kOp == ReduceOp::kProd) return a * static_cast<A>(x);
    if constexpr (kOp == ReduceOp::kSumSquare || kOp == ReduceOp::kL2)
      return a + static_cast<A>(x) * static_cast<A>(x);
    if constexpr (kOp == ReduceOp::kL1) {
      if constexpr (std::is_unsigned_v<T>)
        return a + static_cast<A>(x);
      else
        return a + (x < 0 ? -static_cast<A>(x) : static_cast<A>(x));
    }
    if constexpr (kOp == ReduceOp::kLogSumExp) return a + std::exp(static_cast<double>(x) - aux);
    return a + static_cast<A>(x);
  }
  static A Combine(A a, A b) {
    if constexpr (kOp == ReduceOp::kMax) return std::max(a, b);
    if constexpr (kOp == ReduceOp::kMin) return std::min(a, b);
    if constexpr (kOp == ReduceOp::kProd) return a * b;
    return a + b;
  }
  static T Final(A a, int64_t count, double aux) {
    if constexpr (kOp == ReduceOp::kMean) return static_cast<T>(a / static_cast<double>(count));
    if constexpr (kOp == ReduceOp::kL2) return static_cast<T>(std::sqrt(a));
    if constexpr (kOp == ReduceOp::kLogSum) return static_cast<T>(std::log(a));
    if constexpr (kOp == ReduceOp::kLogSumExp) {
      if (std::isinf(aux)) return static_cast<T>(aux);  // all -inf (or empty), or a +inf term
      return static_cast<T>(std::log(a) + aux);
    }
    return static_cast<T>(a);
  }
};

// Folds every input element into acc (initialised by the caller).
template <ReduceOp kOp, class T>
void FoldAll(const ReducePlan& p, const T* x, typename Fold<kOp, T>::A* acc, const double* aux) {
  using F = Fold<kOp, T>;
  using A = typename F::A;
  const bool inner_reduced = p.size.empty() || p.reduced.back();
  ForEachReduceRun(p, kOp == ReduceOp::kLogSumExp ? 8 : 1,
                   [&](int64_t xo, int64_t oo, int64_t len) {
                     const T* xr = x + xo;
                     if (inner_reduced) {
                       // Independent lanes so the compiler can vectorise without reassociating one
                       // chain.
                       constexpr int kLanes = 8;
                       const double ax = aux ? aux[oo] : 0.0;
                       A lanes[kLanes];
                       for (int j = 0; j < kLanes; ++j) lanes[j] = F::Init();
                       int64_t i = 0;
                       for (; i + kLanes <= len; i += kLanes)
                         for (int j = 0; j < kLanes; ++j)
                           lanes[j] = F::Step(lanes[j], xr[i + j], ax);
                       A a = acc[oo];
                       for (; i < len; ++i) a = F::Step(a, xr[i], ax);
                       for (int j = 0; j < kLanes; ++j) a = F::Combine(a, lanes[j]);
                       acc[oo] = a;
                     } else {
                       A* ar = acc + oo;
                       if (aux) {
                         const double* axr = aux + oo;
                         for (int64_t i = 0; i < len; ++i) ar[i] = F::Step(ar[i], xr[i], axr[i]);
                       } else {
                         for (int64_t i = 0; i < len; ++i) ar[i] = F::Step(ar[i], xr[i], 0.0);
                       }
                     }
                   });
}

template <ReduceOp kOp, class T>
Tensor ReduceTyped(const Tensor& x, const ReducePlan& p) {
  using F = Fold<kOp, T>;
  std::vector<double> maxima;
  if constexpr (kOp == ReduceOp::kLogSumExp) {
    // Shift by the per-output maximum so exp never overflows.
    using M = Fold<ReduceOp::kMax, T>;
    std::vector<T> m(p.out_numel, M::Init());
    FoldAll<ReduceOp::kMax, T>(p, x.data<T>(), m.data(), nullptr);
    maxima.assign(m.begin(), m.end());
  }
  const double* aux = maxima.empty() ? nullptr : maxima.data();
  std::vector<typename F::A> acc(p.out_numel, F::Init());
  FoldAll<kOp, T>(p, x.data<T>(), acc.data(), aux);
  Tensor y(x.dtype(), p.out_shape);
  T* yd = y.data<T>();
  for (int64_t i = 0; i < p.out_numel; ++i) yd[i] = F::Final(acc[i], p.count, aux ? aux[i] : 0.0);
  return y;
}

const char* OpName(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return "ReduceSum";
    case ReduceOp::kMean:
      return "ReduceMean";
    case ReduceOp::kMax:
      return "ReduceMax";
    case ReduceOp::kMin:
      return "ReduceMin";
    case ReduceOp::kProd:
      return "ReduceProd";
    case ReduceOp::kL1:
      return "ReduceL1";
    case ReduceOp::kL2:
      return "ReduceL2";
    case ReduceOp::kLogSum:
      return "ReduceLogSum";
    case ReduceOp::kLogSumExp:
      return "ReduceLogSumExp";
    case ReduceOp::kSumSquare:
      return "ReduceSumSquare";
  }
  return "Reduce";
}

}  // namespace

template <ReduceOp kOp>
Status ReduceKernel<kOp>::Init(const KernelInit& init) {
  const Attributes& at = init.attrs();
  keepdims_ = at.GetInt("keepdims", 1) != 0;
  axes_from_input_ = init.opset() >= (kOp == ReduceOp::kSum ? 13 : 18);
  if (axes_from_input_) {
    noop_with_empty_axes_ = at.GetInt("noop_with_empty_axes", 0) != 0;
    if (at.Has("axes"))
      return Status::InvalidArgument(std::string("the axes attribute is not allowed at opset ") +
                                     std::to_string(init.opset()) + "; axes are input 1");
  } else {
    axes_ = at.GetInts("axes");
  }
  return Status::OK();
}

template <ReduceOp kOp>
Status ReduceKernel<kOp>::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  std::vector<int64_t> raw = axes_;
  if (axes_from_input_ && ctx.input(1)) {
    LITEMP_ASSIGN_OR_RETURN(raw, ToInt64Vector(*ctx.input(1)));
  }
  std::vector<int64_t> axes;
  for (int64_t a : raw) {
    int64_t n;
    LITEMP_RETURN_IF_ERROR(NormalizeAxis(a, x.rank(), &n));
    if (x.rank() == 0) continue;  // axis 0/-1 of a scalar: nothing to reduce
    if (std::find(axes.begin(), axes.end(), n) != axes.end())
      return Status::InvalidArgument("axis " + std::to_string(a) + " is repeated in axes");
    axes.push_back(n);
  }
  const ReducePlan p =
      MakeReducePlan(x.shape(), axes, keepdims_, axes_from_input_ && noop_with_empty_axes_);
  auto run = [&]<class T>() {
    *ctx.output(0) = ReduceTyped<kOp, T>(x, p);
    return Status::OK();
  };
  switch (x.dtype()) {
    case DType::kFloat32:
      return run.template operator()<float>();
    case DType::kFloat64:
      return run.template operator()<double>();
    case DType::kInt32:
      return run.template operator()<int32_t>();
    case DType::kInt64:
      return run.template operator()<int64_t>();
    case DType::kInt8:
      return run.template operator()<int8_t>();
    case DType::kUInt8:
      return run.template operator()<uint8_t>();
    case DType::kBool:
      // max/min of 0/1 bytes is logical or/and; other ops are undefined on bool.
      if constexpr (kOp == ReduceOp::kMax || kOp == ReduceOp::kMin) {
        LITEMP_RETURN_IF_ERROR(run.template operator()<uint8_t>());
        // An empty ReduceMin yields the byte 255; keep bools 0/1.
        uint8_t* y = ctx.output(0)->data<uint8_t>();
        for (int64_t i = 0; i < ctx.output(0)->numel(); ++i) y[i] = y[i] != 0;
        return Status::OK();
      }
      [[fallthrough]];
    default:
      return Status::NotSupported(std::string(OpName(kOp)) + " on " + DTypeName(x.dtype()) +
                                  " (supported: float32, float64, int32, int64, int8, uint8)");
  }
}

template class ReduceKernel<ReduceOp::kSum>;
template class ReduceKernel<ReduceOp::kMean>;
template class ReduceKernel<ReduceOp::kMax>;
template class ReduceKernel<ReduceOp::kMin>;
template class ReduceKernel<ReduceOp::kProd>;
template class ReduceKernel<ReduceOp::kL1>;
template class ReduceKernel<ReduceOp::kL2>;
template class ReduceKernel<ReduceOp::kLogSum>;
template class ReduceKernel<ReduceOp::kLogSumExp>;
template class ReduceKernel<ReduceOp::kSumSquare>;

}  // namespace litemp::reduce
