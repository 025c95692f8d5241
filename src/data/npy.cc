#include "data/npy.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstring>
#include <limits>

namespace litemp::data {
namespace {

size_t SkipSpaces(const std::string& s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  return i;
}

// Returns the position right after "'key':" (or "\"key\":"), or npos.
size_t FindValue(const std::string& header, const std::string& key) {
  for (char q : {'\'', '"'}) {
    size_t p = header.find(q + key + q);
    if (p == std::string::npos) continue;
    p = SkipSpaces(header, p + key.size() + 2);
    if (p < header.size() && header[p] == ':') return SkipSpaces(header, p + 1);
  }
  return std::string::npos;
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1F, mant = h & 0x3FF, bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf / nan
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {  // subnormal: normalise
    int e = -1;
    do {
      mant <<= 1;
      ++e;
    } while (!(mant & 0x400));
    bits = sign | uint32_t(112 - e) << 23 | ((mant & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <class T>
void Convert(const char* src, int64_t n, float* dst) {
  for (int64_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, src + i * sizeof(T), sizeof(T));
    dst[i] = static_cast<float>(v);
  }
}

}  // namespace

Result<Tensor> ParseNpy(const std::string& bytes) {
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) {
    return Status::InvalidArgument("not a .npy file (bad magic)");
  }
  const int major = static_cast<uint8_t>(bytes[6]);
  size_t header_len, header_start;
  auto byte = [&](size_t i) { return size_t(static_cast<uint8_t>(bytes[i])); };
  if (major == 1) {
    header_len = byte(8) | byte(9) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) return Status::InvalidArgument("truncated .npy header");
    header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    header_start = 12;
  } else {
    return Status::NotSupported(".npy format version " + std::to_string(major) + " (expected 1, 2 or 3)");
  }
  if (header_start + header_len > bytes.size()) return Status::InvalidArgument("truncated .npy header");
  const std::string header = bytes.substr(header_start, header_len);

  // descr
  size_t p = FindValue(header, "descr");
  if (p == std::string::npos) return Status::InvalidArgument(".npy header has no 'descr': " + header);
  if (header[p] != '\'' && header[p] != '"') {
    return Status::NotSupported(".npy structured dtypes are not supported: " + header);
  }
  const size_t end = header.find(header[p], p + 1);
  if (end == std::string::npos) return Status::InvalidArgument("malformed .npy 'descr': " + header);
  const std::string descr = header.substr(p + 1, end - p - 1);
  if (descr.size() < 3) return Status::InvalidArgument("malformed .npy dtype '" + descr + "'");
  const char order = descr[0], kind = descr[1];
  int itemsize = 0;
  try {
    itemsize = std::stoi(descr.substr(2));
  } catch (...) {
    return Status::InvalidArgument("malformed .npy dtype '" + descr + "'");
  }
  if (order == '>' && itemsize > 1) {
    return Status::NotSupported(".npy dtype '" + descr + "' is big-endian; save it little-endian (e.g. a.astype('<f4'))");
  }
  if (order != '<' && order != '|' && order != '=' && order != '>') {
    return Status::InvalidArgument("malformed .npy dtype '" + descr + "'");
  }

  // Check the dtype before sizing anything: an itemsize of 0 (e.g. '|f0') would pass the
  // truncation check below and let the shape alone size the output (found by fuzz_npy).
  const std::string type = std::string(1, kind) + std::to_string(itemsize);
  static const char* const kTypes[] = {"f2", "f4", "f8", "u1", "b1", "i1", "u2", "i2", "u4", "i4", "u8", "i8"};
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes)) {
    return Status::NotSupported(".npy dtype '" + descr + "' is not supported (float, int, uint or bool only)");
  }

  // fortran_order
  p = FindValue(header, "fortran_order");
  if (p == std::string::npos) return Status::InvalidArgument(".npy header has no 'fortran_order': " + header);
  if (header.compare(p, 4, "True") == 0) {
    return Status::NotSupported(".npy data is in Fortran order; save it in C order (np.ascontiguousarray)");
  }
  if (header.compare(p, 5, "False") != 0) return Status::InvalidArgument("malformed .npy 'fortran_order': " + header);

  // shape
  p = FindValue(header, "shape");
  if (p == std::string::npos || header[p] != '(') return Status::InvalidArgument(".npy header has no 'shape': " + header);
  const size_t close = header.find(')', p);
  if (close == std::string::npos) return Status::InvalidArgument("malformed .npy 'shape': " + header);
  Shape shape;
  int64_t numel = 1;
  for (size_t i = p + 1; i < close;) {
    i = SkipSpaces(header, i);
    if (i >= close) break;
    size_t j = i;
    while (j < close && header[j] >= '0' && header[j] <= '9') ++j;
    if (j == i || j - i > 12) return Status::InvalidArgument("malformed .npy 'shape': " + header);
    const int64_t d = std::stoll(header.substr(i, j - i));
    if (d != 0 && numel > std::numeric_limits<int32_t>::max() / d) {
      return Status::InvalidArgument(".npy shape is too large: " + header);
    }
    numel *= d;
    shape.push_back(d);
    i = SkipSpaces(header, j);
    if (i < close && header[i] == ',') ++i;
  }

  const size_t data_start = header_start + header_len;
  const size_t need = static_cast<size_t>(numel) * itemsize;
  if (bytes.size() - data_start < need) {
    return Status::InvalidArgument(".npy data is truncated: " + std::to_string(bytes.size() - data_start) +
                                   " bytes for " + ShapeToString(shape) + " '" + descr + "' (need " +
                                   std::to_string(need) + ")");
  }
  const char* src = bytes.data() + data_start;
  Tensor t(DType::kFloat32, shape);
  float* dst = t.data<float>();
  if (type == "f4") std::memcpy(dst, src, need);
  else if (type == "f8") Convert<double>(src, numel, dst);
  else if (type == "f2") {
    for (int64_t i = 0; i < numel; ++i) {
      uint16_t h;
      std::memcpy(&h, src + 2 * i, 2);
      dst[i] = HalfToFloat(h);
    }
  } else if (type == "u1" || type == "b1") Convert<uint8_t>(src, numel, dst);
  else if (type == "i1") Convert<int8_t>(src, numel, dst);
  else if (type == "u2") Convert<uint16_t>(src, numel, dst);
  else if (type == "i2") Convert<int16_t>(src, numel, dst);
  else if (type == "u4") Convert<uint32_t>(src, numel, dst);
  else if (type == "i4") Convert<int32_t>(src, numel, dst);
  else if (type == "u8") Convert<uint64_t>(src, numel, dst);
  else if (type == "i8") Convert<int64_t>(src, numel, dst);

  if (kind == 'f') {
    for (int64_t i = 0; i < numel; ++i) {
      if (!std::isfinite(dst[i])) {
        return Status::InvalidArgument(".npy data holds " + std::string(std::isnan(dst[i]) ? "NaN" : "Inf") +
                                       " at flat index " + std::to_string(i));
      }
    }
  }
  return t;
}

}  // namespace litemp::data
