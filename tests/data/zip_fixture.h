// A zip writer for the .npz tests: archives laid out the way Python's zipfile writes them
// for np.savez (stored) and np.savez_compressed (deflated), optionally with every record in
// its zip64 form, generated at test time.
#ifndef LITEMP_TESTS_DATA_ZIP_FIXTURE_H_
#define LITEMP_TESTS_DATA_ZIP_FIXTURE_H_

#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fixtures.h"

namespace litemp::test {

struct ZipEntry {
  std::string name, data;
};

struct ZipStyle {
  bool deflate = false;  // ZIP_DEFLATED members (np.savez_compressed)
  // Local headers with 0xFFFFFFFF sizes and a zip64 extra field (numpy's force_zip64),
  // central entries likewise, and the zip64 end-of-central-directory records.
  bool zip64 = false;
  std::string comment;  // archive comment after the end record
};

inline void PutLe(std::string* s, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

inline std::string ZipBytes(const std::vector<ZipEntry>& entries, const ZipStyle& style = {}) {
  constexpr uint64_t kFull = 0xFFFFFFFF;
  std::string out, central;
  for (const ZipEntry& e : entries) {
    const std::string body = style.deflate ? Deflate(e.data, -15) : e.data;
    const uint64_t crc = crc32(0L, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()));
    const uint64_t offset = out.size();
    const int method = style.deflate ? 8 : 0;
    const int version = style.zip64 ? 45 : 20;
    // Local header.
    std::string extra;
    if (style.zip64) {
      PutLe(&extra, 1, 2);
      PutLe(&extra, 16, 2);
      PutLe(&extra, e.data.size(), 8);
      PutLe(&extra, body.size(), 8);
    }
    PutLe(&out, 0x04034b50, 4);
    for (uint64_t v : {version, 0, method, 0, 0x21}) PutLe(&out, v, 2);  // version flags method time date
    PutLe(&out, crc, 4);
    PutLe(&out, style.zip64 ? kFull : body.size(), 4);
    PutLe(&out, style.zip64 ? kFull : e.data.size(), 4);
    PutLe(&out, e.name.size(), 2);
    PutLe(&out, extra.size(), 2);
    out += e.name + extra + body;
    // Central directory entry.
    std::string cextra;
    if (style.zip64) {
      PutLe(&cextra, 1, 2);
      PutLe(&cextra, 24, 2);
      for (uint64_t v : {uint64_t(e.data.size()), uint64_t(body.size()), offset}) PutLe(&cextra, v, 8);
    }
    PutLe(&central, 0x02014b50, 4);
    for (uint64_t v : {version, version, 0, method, 0, 0x21}) PutLe(&central, v, 2);
    PutLe(&central, crc, 4);
    PutLe(&central, style.zip64 ? kFull : body.size(), 4);
    PutLe(&central, style.zip64 ? kFull : e.data.size(), 4);
    for (uint64_t v : {uint64_t(e.name.size()), uint64_t(cextra.size()), uint64_t{0}, uint64_t{0}, uint64_t{0}})
      PutLe(&central, v, 2);  // name, extra, comment, disk, internal attributes
    PutLe(&central, 0, 4);  // external attributes
    PutLe(&central, style.zip64 ? kFull : offset, 4);
    central += e.name + cextra;
  }
  const uint64_t cd_offset = out.size();
  out += central;
  if (style.zip64) {
    const uint64_t end64 = out.size();
    PutLe(&out, 0x06064b50, 4);
    PutLe(&out, 44, 8);
    PutLe(&out, 45, 2);
    PutLe(&out, 45, 2);
    PutLe(&out, 0, 4);
    PutLe(&out, 0, 4);
    for (uint64_t v : {uint64_t(entries.size()), uint64_t(entries.size()), uint64_t(central.size()), cd_offset})
      PutLe(&out, v, 8);
    PutLe(&out, 0x07064b50, 4);
    PutLe(&out, 0, 4);
    PutLe(&out, end64, 8);
    PutLe(&out, 1, 4);
  }
  PutLe(&out, 0x06054b50, 4);
  PutLe(&out, 0, 2);
  PutLe(&out, 0, 2);
  PutLe(&out, style.zip64 ? 0xFFFF : entries.size(), 2);
  PutLe(&out, style.zip64 ? 0xFFFF : entries.size(), 2);
  PutLe(&out, style.zip64 ? kFull : central.size(), 4);
  PutLe(&out, style.zip64 ? kFull : cd_offset, 4);
  PutLe(&out, style.comment.size(), 2);
  return out + style.comment;
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_DATA_ZIP_FIXTURE_H_
