// Scalar functors for the binary element-wise ops, shared by the optimised kernels and the
// naive references in tests. Integer arithmetic wraps modulo 2^bits (as ONNX Runtime and
// numpy do) instead of hitting C++ signed-overflow UB, and integer division or modulo by
// zero gives 0 instead of trapping.
#ifndef LITEMP_KERNELS_ELEMENTWISE_BINARY_OPS_H_
#define LITEMP_KERNELS_ELEMENTWISE_BINARY_OPS_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "kernels/elementwise/cast.h"

namespace litemp {

// Unsigned type wide enough to do T's integer arithmetic without promotion to int.
template <class T>
using WrapType = std::conditional_t<sizeof(T) <= 4, uint32_t, uint64_t>;

struct AddOp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(WrapType<T>(a) + WrapType<T>(b));
    else return a + b;
  }
};

struct SubOp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(WrapType<T>(a) - WrapType<T>(b));
    else return a - b;
  }
};

struct MulOp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) return static_cast<T>(WrapType<T>(a) * WrapType<T>(b));
    else return a * b;
  }
};

// Integer division truncates toward zero (C++ and ONNX Runtime semantics).
struct DivOp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return a / b;
    } else {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return static_cast<T>(WrapType<T>(0) - WrapType<T>(a));  // INT_MIN / -1 wraps
      }
      return static_cast<T>(a / b);
    }
  }
};

// Mod with fmod=0: the result takes the divisor's sign (Python's %). Integers only.
struct ModOp {
  template <class T> T operator()(T a, T b) const {
    static_assert(std::is_integral_v<T>);
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return 0;
      T r = static_cast<T>(a % b);
      if (r != 0 && ((r < 0) != (b < 0))) r = static_cast<T>(r + b);
      return r;
    } else {
      return static_cast<T>(a % b);
    }
  }
};

// Mod with fmod=1: the result takes the dividend's sign (C fmod / C++ %).
struct FmodOp {
  template <class T> T operator()(T a, T b) const {
    if constexpr (std::is_floating_point_v<T>) {
      return std::fmod(a, b);
    } else {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;
      }
      return static_cast<T>(a % b);
    }
  }
};

// Integer power by squaring, wrapping on overflow. Negative exponents truncate 1/a^-e.
template <class T>
T IntPow(T a, int64_t e) {
  if (e < 0) {
    if (a == 1) return 1;
    if constexpr (std::is_signed_v<T>) {
      if (a == -1) return (e & 1) ? T(-1) : T(1);
    }
    return 0;
  }
  WrapType<T> base = static_cast<WrapType<T>>(a), r = 1;
  for (uint64_t k = static_cast<uint64_t>(e); k; k >>= 1) {
    if (k & 1) r *= base;
    base *= base;
  }
  return static_cast<T>(r);
}

// Pow: float bases take an exponent of the same type (callers convert it); integer bases
// take an int64 exponent (exact) or a double one (computed in double, then converted).
struct PowOp {
  template <class T, class E> T operator()(T a, E b) const {
    if constexpr (std::is_floating_point_v<T>) {
      static_assert(std::is_same_v<T, E>);
      return std::pow(a, b);
    } else if constexpr (std::is_integral_v<E>) {
      return IntPow(a, static_cast<int64_t>(b));
    } else {
      return ConvertValue<T>(std::pow(static_cast<double>(a), static_cast<double>(b)));
    }
  }
};

// Max/Min propagate NaN like numpy's maximum/minimum; written as selects so they vectorise.
struct MaxOp {
  template <class T> T operator()(T a, T b) const {
    T r = std::max(a, b);  // returns a when a is NaN
    if constexpr (std::is_floating_point_v<T>) r = b != b ? b : r;
    return r;
  }
};

struct MinOp {
  template <class T> T operator()(T a, T b) const {
    T r = std::min(a, b);
    if constexpr (std::is_floating_point_v<T>) r = b != b ? b : r;
    return r;
  }
};

struct EqualOp { template <class T> bool operator()(T a, T b) const { return a == b; } };
struct LessOp { template <class T> bool operator()(T a, T b) const { return a < b; } };
struct GreaterOp { template <class T> bool operator()(T a, T b) const { return a > b; } };
struct LessEqualOp { template <class T> bool operator()(T a, T b) const { return a <= b; } };
struct GreaterEqualOp { template <class T> bool operator()(T a, T b) const { return a >= b; } };
struct AndOp { bool operator()(bool a, bool b) const { return a && b; } };
struct OrOp { bool operator()(bool a, bool b) const { return a || b; } };
struct XorOp { bool operator()(bool a, bool b) const { return a != b; } };

}  // namespace litemp

#endif  // LITEMP_KERNELS_ELEMENTWISE_BINARY_OPS_H_
