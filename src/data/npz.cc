#include "data/npz.h"

#include <zlib.h>

#include <cstdint>
#include <set>
#include <utility>

#include "data/npy.h"

namespace litemp::data {
namespace {

// Record signatures and fixed sizes (PKWARE APPNOTE.TXT, sections 4.3.7 to 4.3.16).
constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr size_t kLocalSize = 30, kCentralSize = 46, kEndSize = 22, kZip64LocatorSize = 20, kZip64EndSize = 56;
constexpr uint64_t kMax32 = 0xFFFFFFFF;  // a 32-bit field whose value is in the zip64 extra
// Largest member accepted (as for idx payloads): a header cannot make us allocate more.
constexpr uint64_t kMaxMember = uint64_t{1} << 31;
// Deflate expands at most about 1032:1 (a 258-byte match in 2 bits); a member claiming
// more is corrupt, and checking it first bounds the allocation by the file's own size.
constexpr uint64_t kMaxDeflateRatio = 1032;

// Little-endian unsigned of `n` bytes at `pos`. REQUIRES: in range (callers check).
uint64_t Le(const std::string& b, uint64_t pos, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[pos + i]);
  return v;
}

// True when [pos, pos + len) lies inside `b` (no overflow for any 64-bit values).
bool Fits(const std::string& b, uint64_t pos, uint64_t len) { return pos <= b.size() && len <= b.size() - pos; }

Status Corrupt(const std::string& what) { return Status::InvalidArgument("corrupt zip archive: " + what); }

struct Directory {
  uint64_t entries = 0, size = 0, offset = 0;
};

struct Entry {
  std::string name;
  uint64_t flags = 0, method = 0, crc = 0, csize = 0, usize = 0, offset = 0;
};

// Finds the end-of-central-directory record (and the zip64 one it points to, if any).
Result<Directory> FindDirectory(const std::string& b) {
  if (b.size() < kEndSize) return Status::InvalidArgument("not a zip archive (too short)");
  // The record ends the file, followed only by its comment (at most 65535 bytes).
  const size_t last = b.size() - kEndSize;
  const size_t first = last > 0xFFFF ? last - 0xFFFF : 0;
  size_t pos = last + 1;
  for (size_t p = last + 1; p-- > first;) {
    if (Le(b, p, 4) == kEndSig && Le(b, p + 20, 2) <= b.size() - p - kEndSize) {
      pos = p;
      break;
    }
  }
  if (pos > last) return Status::InvalidArgument("not a zip archive (no end-of-central-directory record)");
  if (Le(b, pos + 4, 2) != 0 || Le(b, pos + 6, 2) != 0) {
    return Status::NotSupported("multi-disk zip archives are not supported");
  }
  Directory d{Le(b, pos + 10, 2), Le(b, pos + 12, 4), Le(b, pos + 16, 4)};
  if (pos >= kZip64LocatorSize && Le(b, pos - kZip64LocatorSize, 4) == kZip64LocatorSig) {
    const uint64_t at = Le(b, pos - kZip64LocatorSize + 8, 8);
    if (!Fits(b, at, kZip64EndSize) || Le(b, at, 4) != kZip64EndSig) {
      return Corrupt("bad zip64 end-of-central-directory record");
    }
    d = Directory{Le(b, at + 32, 8), Le(b, at + 40, 8), Le(b, at + 48, 8)};
  }
  if (!Fits(b, d.offset, d.size)) {
    return Status::InvalidArgument("truncated zip archive (its central directory lies past the end of the file)");
  }
  return d;
}

// Replaces the 32-bit sizes and offset that read 0xFFFFFFFF by the 64-bit values of the
// zip64 extra field (id 1), which holds only those, in this order.
Status ApplyZip64Extra(const std::string& b, uint64_t pos, uint64_t end, Entry* e) {
  while (pos + 4 <= end) {
    const uint64_t id = Le(b, pos, 2), size = Le(b, pos + 2, 2);
    pos += 4;
    if (size > end - pos) return Corrupt("member '" + e->name + "': bad extra field");
    uint64_t q = pos;
    for (uint64_t* field : {&e->usize, &e->csize, &e->offset}) {
      if (id != 1 || *field != kMax32) continue;
      if (q + 8 > pos + size) return Corrupt("member '" + e->name + "': short zip64 extra field");
      *field = Le(b, q, 8);
      q += 8;
    }
    pos += size;
  }
  return Status::OK();
}

// Parses the central-directory entry at *pos (which must end by `end`) and advances *pos.
Result<Entry> ParseEntry(const std::string& b, uint64_t* pos, uint64_t end) {
  const uint64_t p = *pos;
  if (kCentralSize > end - p || Le(b, p, 4) != kCentralSig) return Corrupt("bad central directory entry");
  Entry e;
  e.flags = Le(b, p + 8, 2);
  e.method = Le(b, p + 10, 2);
  e.crc = Le(b, p + 16, 4);
  e.csize = Le(b, p + 20, 4);
  e.usize = Le(b, p + 24, 4);
  e.offset = Le(b, p + 42, 4);
  const uint64_t name_len = Le(b, p + 28, 2), extra_len = Le(b, p + 30, 2), comment_len = Le(b, p + 32, 2);
  const uint64_t var = p + kCentralSize;
  if (name_len + extra_len + comment_len > end - var) return Corrupt("central directory entry runs past its end");
  e.name = b.substr(var, name_len);
  LITEMP_RETURN_IF_ERROR(ApplyZip64Extra(b, var + name_len, var + name_len + extra_len, &e));
  *pos = var + name_len + extra_len + comment_len;
  return e;
}

// Inflates raw deflate data that must produce exactly `usize` bytes.
Result<std::string> Inflate(const char* src, uint64_t csize, uint64_t usize) {
  if (csize > kMax32) return Status::InvalidArgument("compressed data larger than 4 GiB");
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return Status::Internal("inflateInit2 failed");
  // One spare byte: output beyond the stated size shows as a full buffer.
  std::string out(usize + 1, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(src));
  zs.avail_in = static_cast<uInt>(csize);
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&zs, Z_FINISH);
  const std::string msg = zs.msg ? zs.msg : "error " + std::to_string(rc);
  const uint64_t produced = zs.total_out;
  const bool input_left = zs.avail_in != 0;
  inflateEnd(&zs);
  if (rc == Z_STREAM_END && produced == usize) {
    out.resize(usize);
    return out;
  }
  const std::string stated = "its stated " + std::to_string(usize) + " bytes";
  if (produced > usize) return Status::InvalidArgument("inflates to more than " + stated);
  if (rc == Z_STREAM_END) return Status::InvalidArgument("inflates to fewer than " + stated);
  if (rc == Z_BUF_ERROR && !input_left) return Status::InvalidArgument("truncated deflate data");
  return Status::InvalidArgument("corrupt deflate data: " + msg);
}

// The uncompressed bytes of one member, CRC checked.
Result<std::string> Extract(const std::string& b, const Entry& e) {
  const std::string m = "member '" + e.name + "'";
  if (e.flags & 1) return Status::NotSupported(m + " is encrypted");
  if (e.method != 0 && e.method != 8) {
    return Status::NotSupported(m + " uses compression method " + std::to_string(e.method) +
                                " (only stored and deflate are supported)");
  }
  if (!Fits(b, e.offset, kLocalSize) || Le(b, e.offset, 4) != kLocalSig) return Corrupt(m + ": bad local header");
  const uint64_t data = e.offset + kLocalSize + Le(b, e.offset + 26, 2) + Le(b, e.offset + 28, 2);
  if (!Fits(b, data, e.csize)) return Status::InvalidArgument("truncated zip archive: " + m + " runs past the end");
  if (e.usize > kMaxMember) return Status::InvalidArgument(m + " is larger than 2 GiB");
  std::string out;
  if (e.method == 0) {
    if (e.csize != e.usize) return Corrupt(m + ": stored member with two different sizes");
    out = b.substr(data, e.csize);
  } else {
    if (e.usize > e.csize * kMaxDeflateRatio + 1024) {
      return Corrupt(m + ": " + std::to_string(e.csize) + " compressed bytes cannot inflate to " +
                     std::to_string(e.usize));
    }
    Result<std::string> r = Inflate(b.data() + data, e.csize, e.usize);
    if (!r.ok()) return r.status().WithContext(m);
    out = std::move(r).value();
  }
  const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size()));
  if (crc != e.crc) return Corrupt(m + ": CRC-32 mismatch");
  return out;
}

}  // namespace

Result<std::vector<ZipMember>> ReadZip(const std::string& bytes) {
  LITEMP_ASSIGN_OR_RETURN(Directory d, FindDirectory(bytes));
  std::vector<ZipMember> members;
  uint64_t pos = d.offset;
  const uint64_t end = d.offset + d.size;
  for (uint64_t k = 0; k < d.entries; ++k) {  // ParseEntry stops a count the directory cannot hold
    LITEMP_ASSIGN_OR_RETURN(Entry e, ParseEntry(bytes, &pos, end));
    LITEMP_ASSIGN_OR_RETURN(std::string data, Extract(bytes, e));
    members.push_back(ZipMember{std::move(e.name), std::move(data)});
  }
  return members;
}

Result<SampleInputs> ParseNpz(const std::string& bytes) {
  LITEMP_ASSIGN_OR_RETURN(std::vector<ZipMember> members, ReadZip(bytes));
  if (members.empty()) return Status::InvalidArgument("the .npz archive holds no arrays");
  SampleInputs arrays;
  std::set<std::string> seen;
  for (ZipMember& m : members) {
    const std::string where = "member '" + m.name + "'";
    const size_t n = m.name.size();
    if (n <= 4 || m.name.compare(n - 4, 4, ".npy") != 0) {
      return Status::InvalidArgument(where + " is not named <array>.npy (an .npz holds one .npy file per array)");
    }
    std::string key = m.name.substr(0, n - 4);
    if (!seen.insert(key).second) return Status::InvalidArgument(where + " appears twice");
    Result<Tensor> t = ParseNpy(m.data);
    if (!t.ok()) return t.status().WithContext(where);
    std::string().swap(m.data);  // the float copy replaces the bytes
    arrays.emplace_back(std::move(key), std::move(t).value());
  }
  return arrays;
}

}  // namespace litemp::data
