#include "kernels/util.h"

#include <immintrin.h>

#include <algorithm>

namespace litemp {

Status NormalizeAxis(int64_t axis, int rank, int64_t* out) {
  if (axis < -rank || axis >= std::max(rank, 1))
    return Status::InvalidArgument("axis " + std::to_string(axis) + " is out of range for rank " +
                                   std::to_string(rank));
  *out = axis < 0 ? axis + rank : axis;
  return Status::OK();
}

Result<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da != db && da != 1 && db != 1)
      return Status::InvalidArgument("shapes " + ShapeToString(a) + " and " + ShapeToString(b) +
                                     " cannot be broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> Strides(const Shape& s) {
  std::vector<int64_t> st(s.size());
  int64_t acc = 1;
  for (int i = static_cast<int>(s.size()) - 1; i >= 0; --i) {
    st[i] = acc;
    acc *= s[i];
  }
  return st;
}

std::vector<int64_t> BroadcastStrides(const Shape& in, const Shape& out) {
  std::vector<int64_t> st(out.size(), 0);
  auto s = Strides(in);
  size_t off = out.size() - in.size();
  for (size_t i = 0; i < in.size(); ++i) st[i + off] = in[i] == 1 ? 0 : s[i];
  return st;
}

Result<std::vector<int64_t>> ToInt64Vector(const Tensor& t) {
  Tensor p = ToPlain(t);
  std::vector<int64_t> v(p.numel());
  if (p.dtype() == DType::kInt64) {
    for (int64_t i = 0; i < p.numel(); ++i) v[i] = p.data<int64_t>()[i];
  } else if (p.dtype() == DType::kInt32) {
    for (int64_t i = 0; i < p.numel(); ++i) v[i] = p.data<int32_t>()[i];
  } else {
    return Status::InvalidArgument(std::string("expected an int32/int64 tensor, got ") + DTypeName(p.dtype()));
  }
  return v;
}

uint16_t FloatToHalf(float f) {
  return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}

float HalfToFloat(uint16_t h) { return _cvtsh_ss(h); }

void FloatToHalf(const float* src, uint16_t* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h);
  }
  for (; i < n; ++i) dst[i] = FloatToHalf(src[i]);
}

void HalfToFloat(const uint16_t* src, float* dst, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
  }
  for (; i < n; ++i) dst[i] = HalfToFloat(src[i]);
}

}  // namespace litemp
