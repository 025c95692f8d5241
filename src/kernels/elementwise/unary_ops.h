// Scalar functors for the unary element-wise ops and ApplyUnary, the loop that maps one over
// a tensor. A functor with kIntegers = true also accepts integer tensors; float-only ones
// return NotSupported for them. Parameters are the ONNX float attributes, converted to the
// element type so that double tensors compute in double.
#ifndef LITEMP_KERNELS_ELEMENTWISE_UNARY_OPS_H_
#define LITEMP_KERNELS_ELEMENTWISE_UNARY_OPS_H_

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "core/parallel.h"
#include "kernels/elementwise/cast.h"
#include "kernels/kernel.h"
#include "kernels/post_ops.h"
#include "kernels/util.h"
#include "kernels/vec_math.h"

namespace litemp {

// Runs block(x, y, n) over float32 `x` into a new tensor of its shape and layout, each
// thread a range of it; with a context, each run of at most kPostOpRun floats then takes
// the context's element-wise post-ops (post_ops.h) while it is in cache, and the context
// learns how many it applied.
constexpr int64_t kPostOpRun = 2048;
template <class Block>
Tensor MapFloats(const Tensor& x, Block block, int64_t cost, KernelContext* post) {
  Tensor out(x.dtype(), x.shape(), x.layout());
  const float* a = x.data<float>();
  float* b = out.data<float>();
  const int count = post ? ElementwisePostOps(*post, out) : 0;
  ParallelFor(x.numel(), [&](int64_t s, int64_t e) {
    if (count == 0) return block(a + s, b + s, e - s);
    for (int64_t r = s; r < e; r += kPostOpRun) {
      const int64_t m = std::min(kPostOpRun, e - r);
      block(a + r, b + r, m);
      ApplyPostOps(*post, count, &out, r, r + m);
    }
  }, cost);
  if (post) post->set_post_ops_applied(count);
  return out;
}

// y = op(x) element by element; same shape and layout (element-wise ops do not care).
// float16 is computed in float32 and rounded back. `cost` is a per-element hint. `post`:
// see MapFloats (float32 only).
template <class Op>
Status ApplyUnary(const Tensor& x, const Op& op, Tensor* y, int64_t cost = 1, KernelContext* post = nullptr) {
  if (x.dtype() == DType::kFloat16) {
    LITEMP_ASSIGN_OR_RETURN(Tensor f, CastTensor(x, DType::kFloat32));
    Tensor r;
    LITEMP_RETURN_IF_ERROR(ApplyUnary(f, op, &r, cost));
    LITEMP_ASSIGN_OR_RETURN(*y, CastTensor(r, DType::kFloat16));
    return Status::OK();
  }
  if (x.dtype() == DType::kFloat32) {
    *y = MapFloats(x, [&](const float* a, float* b, int64_t n) {
      for (int64_t i = 0; i < n; ++i) b[i] = op(a[i]);
    }, cost, post);
    return Status::OK();
  }
  return DispatchNumeric(x.dtype(), [&]<class T>() -> Status {
    if constexpr (!std::is_floating_point_v<T> && !Op::kIntegers) {
      return Status::NotSupported(std::string(Op::kName) + " on " + DTypeName(x.dtype()) + " (float types only)");
    } else {
      Tensor out(x.dtype(), x.shape(), x.layout());
      const T* a = x.data<T>();
      T* b = out.data<T>();
      ParallelFor(x.numel(), [&](int64_t s, int64_t e) {
        for (int64_t i = s; i < e; ++i) b[i] = op(a[i]);
      }, cost);
      *y = std::move(out);
      return Status::OK();
    }
  });
}

// ApplyUnary for an op with an array form for float32 (vec_math.h): `floats(x, y, n)` maps
// each thread's run of floats (float16 goes through float32 as above); other types use `op`.
template <class Op, class Floats>
Status ApplyUnaryFloats(const Tensor& x, const Op& op, Floats floats, Tensor* y, int64_t cost,
                        KernelContext* post = nullptr) {
  if (x.dtype() == DType::kFloat16) {
    LITEMP_ASSIGN_OR_RETURN(Tensor f, CastTensor(x, DType::kFloat32));
    Tensor r;
    LITEMP_RETURN_IF_ERROR(ApplyUnaryFloats(f, op, floats, &r, cost));
    LITEMP_ASSIGN_OR_RETURN(*y, CastTensor(r, DType::kFloat16));
    return Status::OK();
  }
  if (x.dtype() != DType::kFloat32) return ApplyUnary(x, op, y, cost);
  *y = MapFloats(x, floats, cost, post);
  return Status::OK();
}

// ---- Ops that also take integers (signed arithmetic wraps; |INT_MIN| = INT_MIN). ----

struct ReluOp {
  static constexpr bool kIntegers = true;
  static constexpr const char* kName = "Relu";
  template <class T> T operator()(T x) const { return std::max(x, T(0)); }
};

struct AbsOp {
  static constexpr bool kIntegers = true;
  static constexpr const char* kName = "Abs";
  template <class T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return std::fabs(x);
    else if constexpr (std::is_signed_v<T>) return x < 0 ? static_cast<T>(WrapNeg(x)) : x;
    else return x;
  }
  template <class T> static T WrapNeg(T x) {
    using U = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;
    return static_cast<T>(U(0) - U(x));
  }
};

struct NegOp {
  static constexpr bool kIntegers = true;
  static constexpr const char* kName = "Neg";
  template <class T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return -x;
    else return AbsOp::WrapNeg(x);
  }
};

// NaN stays NaN and zeros keep their sign, like numpy.sign.
struct SignOp {
  static constexpr bool kIntegers = true;
  static constexpr const char* kName = "Sign";
  template <class T> T operator()(T x) const {
    if constexpr (std::is_floating_point_v<T>) return x > T(0) ? T(1) : (x < T(0) ? T(-1) : x);
    else if constexpr (std::is_signed_v<T>) return static_cast<T>((x > 0) - (x < 0));
    else return static_cast<T>(x > 0);
  }
};

// ---- Float-only math. ----

#define LITEMP_FLOAT_UNARY_OP_(Name, expr)                          \
  struct Name##Op {                                                 \
    static constexpr bool kIntegers = false;                        \
    static constexpr const char* kName = #Name;                     \
    template <class T> T operator()(T x) const { return (expr); }  \
  }

LITEMP_FLOAT_UNARY_OP_(Floor, std::floor(x));
LITEMP_FLOAT_UNARY_OP_(Ceil, std::ceil(x));
// rint rounds half to even in the default rounding mode, and (unlike nearbyint) inlines.
LITEMP_FLOAT_UNARY_OP_(Round, std::rint(x));
LITEMP_FLOAT_UNARY_OP_(Exp, std::exp(x));
LITEMP_FLOAT_UNARY_OP_(Log, std::log(x));
LITEMP_FLOAT_UNARY_OP_(Sqrt, std::sqrt(x));
LITEMP_FLOAT_UNARY_OP_(Reciprocal, T(1) / x);
LITEMP_FLOAT_UNARY_OP_(Sin, std::sin(x));
LITEMP_FLOAT_UNARY_OP_(Cos, std::cos(x));
LITEMP_FLOAT_UNARY_OP_(Tan, std::tan(x));
LITEMP_FLOAT_UNARY_OP_(Asin, std::asin(x));
LITEMP_FLOAT_UNARY_OP_(Acos, std::acos(x));
LITEMP_FLOAT_UNARY_OP_(Atan, std::atan(x));
LITEMP_FLOAT_UNARY_OP_(Sinh, std::sinh(x));
LITEMP_FLOAT_UNARY_OP_(Cosh, std::cosh(x));
LITEMP_FLOAT_UNARY_OP_(Asinh, std::asinh(x));
LITEMP_FLOAT_UNARY_OP_(Acosh, std::acosh(x));
LITEMP_FLOAT_UNARY_OP_(Atanh, std::atanh(x));
LITEMP_FLOAT_UNARY_OP_(Tanh, std::tanh(x));
// Ops whose float32 kernel is an array function of vec_math.h: the scalar form calls it
// too for float, so both agree; double computes `expr`.
#define LITEMP_ARRAY_UNARY_OP_(Name, floats, expr)                      \
  struct Name##Op {                                                     \
    static constexpr bool kIntegers = false;                            \
    static constexpr const char* kName = #Name;                         \
    template <class T> T operator()(T x) const {                        \
      if constexpr (std::is_same_v<T, float>) {                         \
        float y;                                                        \
        floats(&x, &y, 1);                                              \
        return y;                                                       \
      } else {                                                          \
        return (expr);                                                  \
      }                                                                 \
    }                                                                   \
  }
// float: correctly rounded (not the C library's erff).
LITEMP_ARRAY_UNARY_OP_(Erf, ErfFloats, std::erf(x));
// float: in float lanes, within 2.5 ulp.
LITEMP_ARRAY_UNARY_OP_(Sigmoid, SigmoidFloats, T(1) / (T(1) + std::exp(-x)));
#undef LITEMP_ARRAY_UNARY_OP_
// log(1 + e^x) without overflow for large x.
LITEMP_FLOAT_UNARY_OP_(Softplus, x > T(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)));
LITEMP_FLOAT_UNARY_OP_(Softsign, x / (T(1) + std::fabs(x)));
// Mish (18): x * tanh(softplus(x)).
LITEMP_FLOAT_UNARY_OP_(Mish, x * std::tanh(SoftplusOp{}(x)));
// HardSwish (14): x * HardSigmoid(x) with alpha = 1/6, beta = 0.5.
LITEMP_FLOAT_UNARY_OP_(HardSwish, x * std::max(T(0), std::min(T(1), x * T(1.0 / 6.0) + T(0.5))));

#undef LITEMP_FLOAT_UNARY_OP_

// ---- Float-only activations with attributes. ----

struct LeakyReluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "LeakyRelu";
  float alpha;
  template <class T> T operator()(T x) const { return x < T(0) ? T(alpha) * x : x; }
};

struct HardSigmoidOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "HardSigmoid";
  float alpha, beta;
  template <class T> T operator()(T x) const {
    return std::max(T(0), std::min(T(1), T(alpha) * x + T(beta)));
  }
};

struct EluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "Elu";
  float alpha;
  template <class T> T operator()(T x) const { return x < T(0) ? T(alpha) * std::expm1(x) : x; }
};

struct SeluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "Selu";
  float alpha, gamma;
  template <class T> T operator()(T x) const {
    return x > T(0) ? T(gamma) * x : T(gamma) * T(alpha) * std::expm1(x);
  }
};

struct CeluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "Celu";
  float alpha;
  template <class T> T operator()(T x) const {
    return std::max(T(0), x) + std::min(T(0), T(alpha) * std::expm1(x / T(alpha)));
  }
};

struct ThresholdedReluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "ThresholdedRelu";
  float alpha;
  template <class T> T operator()(T x) const { return x > T(alpha) ? x : T(0); }
};

// Shrink (9): x < -lambd ? x + bias : x > lambd ? x - bias : 0. Integer inputs compare and
// add in float, then convert back (as ONNX Runtime does).
struct ShrinkOp {
  static constexpr bool kIntegers = true;
  static constexpr const char* kName = "Shrink";
  float lambd, bias;
  template <class T> T operator()(T x) const {
    using C = std::conditional_t<std::is_same_v<T, double>, double, float>;
    const C v = static_cast<C>(x);
    if (v < -C(lambd)) return ConvertValue<T>(v + C(bias));
    if (v > C(lambd)) return ConvertValue<T>(v - C(bias));
    return T(0);
  }
};

// Gelu (20): exact x * Phi(x), or the tanh approximation.
struct GeluOp {
  static constexpr bool kIntegers = false;
  static constexpr const char* kName = "Gelu";
  bool tanh_approx;
  template <class T> T operator()(T x) const {
    if (tanh_approx) {
      const T k = T(0.7978845608028654);  // sqrt(2 / pi)
      return T(0.5) * x * (T(1) + std::tanh(k * (x + T(0.044715) * x * x * x)));
    }
    return T(0.5) * x * (T(1) + ErfOp{}(x * T(0.7071067811865476)));  // 1 / sqrt(2)
  }
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_UNARY_OPS_H_
