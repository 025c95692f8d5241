#include "kernels/movement/common.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "kernels/util.h"

namespace litemp::movement {

Result<std::vector<int64_t>> ReadInts(const Tensor& t, const std::string& what) {
  if (t.dtype() != DType::kInt64 && t.dtype() != DType::kInt32)
    return Status::InvalidArgument(what + " must be int64 (or int32), got " + DTypeName(t.dtype()));
  return ToInt64Vector(t);
}

Result<std::vector<double>> ReadDoubles(const Tensor& t0, const std::string& what) {
  Tensor t = ToPlain(t0);
  std::vector<double> v(t.numel());
  if (t.dtype() == DType::kFloat16) {
    for (int64_t i = 0; i < t.numel(); ++i) v[i] = HalfToFloat(t.data<uint16_t>()[i]);
    return v;
  }
  if (t.dtype() == DType::kBool) {
    for (int64_t i = 0; i < t.numel(); ++i) v[i] = t.data<uint8_t>()[i] != 0;
    return v;
  }
  Status s = DispatchNumeric(t.dtype(), [&]<class T>() {
    for (int64_t i = 0; i < t.numel(); ++i) v[i] = static_cast<double>(t.data<T>()[i]);
    return Status::OK();
  });
  if (!s.ok()) return Status::InvalidArgument(what + ": unsupported data type " + DTypeName(t.dtype()));
  return v;
}

namespace {
template <class T>
T SaturateRound(double v) {
  if (std::isnan(v)) return T(0);
  double r = std::nearbyint(v);
  if (r <= static_cast<double>(std::numeric_limits<T>::lowest())) return std::numeric_limits<T>::lowest();
  if (r >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(r);
}
}  // namespace

Status StoreScalar(DType dt, double v, void* dst) {
  switch (dt) {
    case DType::kFloat32:
      *static_cast<float*>(dst) = static_cast<float>(v);
      return Status::OK();
    case DType::kFloat64:
      *static_cast<double*>(dst) = v;
      return Status::OK();
    case DType::kFloat16:
      *static_cast<uint16_t*>(dst) = FloatToHalf(static_cast<float>(v));
      return Status::OK();
    case DType::kBool:
      *static_cast<uint8_t*>(dst) = v != 0;
      return Status::OK();
    case DType::kInt8:
      *static_cast<int8_t*>(dst) = SaturateRound<int8_t>(v);
      return Status::OK();
    case DType::kUInt8:
      *static_cast<uint8_t*>(dst) = SaturateRound<uint8_t>(v);
      return Status::OK();
    case DType::kInt16:
      *static_cast<int16_t*>(dst) = SaturateRound<int16_t>(v);
      return Status::OK();
    case DType::kUInt16:
      *static_cast<uint16_t*>(dst) = SaturateRound<uint16_t>(v);
      return Status::OK();
    case DType::kInt32:
      *static_cast<int32_t*>(dst) = SaturateRound<int32_t>(v);
      return Status::OK();
    case DType::kUInt32:
      *static_cast<uint32_t*>(dst) = SaturateRound<uint32_t>(v);
      return Status::OK();
    case DType::kInt64:
      *static_cast<int64_t*>(dst) = SaturateRound<int64_t>(v);
      return Status::OK();
    case DType::kUInt64:
      *static_cast<uint64_t*>(dst) = SaturateRound<uint64_t>(v);
      return Status::OK();
    default:
      return Status::NotSupported(std::string("data type ") + DTypeName(dt));
  }
}

Result<int64_t> ReadScalarInt(const Tensor& t, const std::string& what) {
  if (t.numel() != 1)
    return Status::InvalidArgument(what + " must hold one value, got shape " + ShapeToString(t.shape()));
  LITEMP_ASSIGN_OR_RETURN(auto v, ReadInts(t, what));
  return v[0];
}

Status NormalizeAxes(std::vector<int64_t>* axes, int rank) {
  std::vector<char> seen(std::max(rank, 1), 0);
  for (int64_t& a : *axes) {
    LITEMP_RETURN_IF_ERROR(NormalizeAxis(a, rank, &a));
    if (seen[a]++)
      return Status::InvalidArgument("axis " + std::to_string(a) + " is repeated in " + IntsToString(*axes));
  }
  return Status::OK();
}

std::string IntsToString(const std::vector<int64_t>& v) { return ShapeToString(v); }

}  // namespace litemp::movement
