#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <limits>

#include "litemp/fileio.h"

namespace litemp::data {

namespace {
constexpr size_t kUnknown = std::numeric_limits<size_t>::max();
// Largest payload accepted (MNIST's training images are 47 MB): a header cannot make the
// reader inflate or allocate more.
constexpr int64_t kMaxPayload = int64_t{1} << 31;
}  // namespace

Result<std::string> MaybeGunzip(std::string bytes, const std::function<size_t(std::string_view)>& wanted) {
  if (bytes.size() < 2 || static_cast<uint8_t>(bytes[0]) != 0x1f || static_cast<uint8_t>(bytes[1]) != 0x8b) {
    return bytes;
  }
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::Internal("inflateInit2 failed");
  std::string out;
  out.resize(bytes.size() * 4 + 1024);
  zs.next_in = reinterpret_cast<Bytef*>(bytes.data());
  zs.avail_in = static_cast<uInt>(bytes.size());
  size_t need = kUnknown;
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    if (wanted && need == kUnknown) need = wanted(std::string_view(out.data(), zs.total_out));
    if (zs.total_out >= need) break;  // the rest is not needed
    if (zs.total_out == out.size()) out.resize(std::min(out.size() * 2, need));
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + zs.total_out);
    zs.avail_out = static_cast<uInt>(out.size() - zs.total_out);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string msg = zs.msg ? zs.msg : "error " + std::to_string(rc);
      inflateEnd(&zs);
      return Status::InvalidArgument("corrupt gzip data: " + msg);
    }
    if (zs.avail_in == 0 && zs.avail_out != 0) {  // input exhausted before the end marker
      if (wanted) need = wanted(std::string_view(out.data(), zs.total_out));
      if (zs.total_out >= need) break;  // but it held all that is needed
      inflateEnd(&zs);
      return Status::InvalidArgument("truncated gzip data");
    }
  }
  out.resize(std::min<size_t>(zs.total_out, need));
  inflateEnd(&zs);
  return out;
}

size_t IdxBytesWanted(std::string_view head) {
  if (head.size() < 4) return kUnknown;
  const size_t ndims = static_cast<uint8_t>(head[3]);
  const size_t start = 4 + 4 * ndims;
  if (head.size() < start) return kUnknown;
  size_t total = 1;
  for (size_t i = 0; i < ndims; ++i) {
    const auto* p = reinterpret_cast<const uint8_t*>(head.data()) + 4 + 4 * i;
    total *= size_t{p[0]} << 24 | size_t{p[1]} << 16 | size_t{p[2]} << 8 | p[3];
    if (total > size_t{kMaxPayload}) return start;  // ParseIdx rejects it; read no payload
  }
  return start + total;
}

Result<IdxArray> ParseIdx(std::string bytes) {
  if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0) {
    return Status::InvalidArgument("not an idx file (bad magic)");
  }
  const int type = static_cast<uint8_t>(bytes[2]);
  const int ndims = static_cast<uint8_t>(bytes[3]);
  if (type != 0x08) {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02x", type);
    return Status::NotSupported(std::string("idx element type ") + hex + " (only unsigned byte, 0x08)");
  }
  if (ndims < 1 || bytes.size() < 4 + 4 * size_t(ndims)) return Status::InvalidArgument("truncated idx header");
  IdxArray a;
  int64_t total = 1;
  for (int i = 0; i < ndims; ++i) {
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data()) + 4 + 4 * i;
    const int64_t d = int64_t{p[0]} << 24 | int64_t{p[1]} << 16 | int64_t{p[2]} << 8 | p[3];
    a.dims.push_back(d);
    total *= d;
    if (total > kMaxPayload)
      return Status::InvalidArgument("idx dimensions are too large (over " + std::to_string(kMaxPayload >> 20) + " MiB)");
  }
  const size_t start = 4 + 4 * size_t(ndims);
  if (bytes.size() - start < size_t(total)) {
    return Status::InvalidArgument("idx data is truncated: " + std::to_string(bytes.size() - start) +
                                   " bytes, header promises " + std::to_string(total));
  }
  bytes.erase(0, start);
  bytes.resize(size_t(total));
  a.data = std::move(bytes);
  return a;
}

Result<IdxArray> ReadIdxFile(const std::string& path) {
  LITEMP_ASSIGN_OR_RETURN(std::string raw, ReadFile(path));
  auto inflated = MaybeGunzip(std::move(raw), IdxBytesWanted);
  if (!inflated.ok()) return inflated.status().WithContext("'" + path + "'");
  auto parsed = ParseIdx(std::move(inflated).value());
  if (!parsed.ok()) return parsed.status().WithContext("'" + path + "'");
  return parsed;
}

}  // namespace litemp::data
