#include "backend/tensor_compare.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "kernels/util.h"

namespace litemp::test {

namespace {

// Element i as double (floats and integers alike; used for floats and for printing).
double AsDouble(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return t.data<float>()[i];
    case DType::kFloat64: return t.data<double>()[i];
    case DType::kFloat16: return HalfToFloat(t.data<uint16_t>()[i]);
    case DType::kUInt8: return t.data<uint8_t>()[i];
    case DType::kInt8: return t.data<int8_t>()[i];
    case DType::kUInt16: return t.data<uint16_t>()[i];
    case DType::kInt16: return t.data<int16_t>()[i];
    case DType::kInt32: return t.data<int32_t>()[i];
    case DType::kInt64: return static_cast<double>(t.data<int64_t>()[i]);
    case DType::kUInt32: return t.data<uint32_t>()[i];
    case DType::kUInt64: return static_cast<double>(t.data<uint64_t>()[i]);
    case DType::kBool: return t.data<bool>()[i] ? 1 : 0;
    default: return 0;
  }
}

// Exact text of an integer element (doubles lose int64 precision).
std::string IntText(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kInt64: return std::to_string(t.data<int64_t>()[i]);
    case DType::kUInt64: return std::to_string(t.data<uint64_t>()[i]);
    case DType::kBool: return t.data<uint8_t>()[i] ? "true" : "false";
    default: return std::to_string(static_cast<int64_t>(AsDouble(t, i)));
  }
}

std::string IndexText(const Shape& shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] > 0) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
  }
  std::string s = "[";
  for (size_t d = 0; d < idx.size(); ++d) {
    if (d) s += ',';
    s += std::to_string(idx[d]);
  }
  return s + "]";
}

std::string Num(double v) {
  std::ostringstream os;
  os.precision(9);
  os << v;
  return os.str();
}

}  // namespace

std::string CompareTensors(const Tensor& got_in, const Tensor& want_in, const Tolerance& tol) {
  if (!got_in.defined()) return "output was not produced";
  if (got_in.dtype() != want_in.dtype())
    return std::string("dtype ") + DTypeName(got_in.dtype()) + ", expected " + DTypeName(want_in.dtype());
  if (got_in.shape() != want_in.shape())
    return "shape " + ShapeToString(got_in.shape()) + ", expected " + ShapeToString(want_in.shape());
  Tensor got = ToPlain(got_in), want = ToPlain(want_in);
  const int64_t n = want.numel();
  int64_t bad = 0, first = -1;
  double max_diff = 0;
  if (IsFloat(want.dtype())) {
    for (int64_t i = 0; i < n; ++i) {
      double a = AsDouble(got, i), b = AsDouble(want, i);
      if (std::isnan(a) && std::isnan(b)) continue;
      // Equal infinities pass; a == b also keeps inf - inf from producing NaN.
      if (a == b) continue;
      double diff = std::fabs(a - b);
      // An infinity must be matched exactly (numpy's equal_inf); rtol * inf would accept anything.
      bool ok = !std::isinf(b) && diff <= tol.atol + tol.rtol * std::max(tol.rel_floor, std::fabs(b));
      if (!ok) {
        if (first < 0) first = i;
        ++bad;
        if (!(diff <= max_diff)) max_diff = diff;
      }
    }
  } else {
    const size_t es = DTypeSize(want.dtype());
    const auto* a = static_cast<const uint8_t*>(got.raw_data());
    const auto* b = static_cast<const uint8_t*>(want.raw_data());
    for (int64_t i = 0; i < n; ++i) {
      bool eq = want.dtype() == DType::kBool ? (a[i] != 0) == (b[i] != 0) : std::memcmp(a + i * es, b + i * es, es) == 0;
      if (!eq) {
        if (first < 0) first = i;
        ++bad;
      }
    }
  }
  if (bad == 0) return "";
  std::string msg = "at " + IndexText(want.shape(), first) + ": ";
  if (IsFloat(want.dtype())) {
    double b = AsDouble(want, first);
    msg += "got " + Num(AsDouble(got, first)) + ", expected " + Num(b) + " (tolerance " +
           Num(tol.atol + tol.rtol * std::max(tol.rel_floor, std::fabs(b))) + ")";
  } else {
    msg += "got " + IntText(got, first) + ", expected " + IntText(want, first);
  }
  msg += "; " + std::to_string(bad) + " of " + std::to_string(n) + " elements differ";
  if (IsFloat(want.dtype())) msg += ", max |diff| " + Num(max_diff);
  return msg;
}

}  // namespace litemp::test
