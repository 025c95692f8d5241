// MNIST idx files (http://yann.lecun.com/exdb/mnist/), plain or gzipped.
#ifndef LITEMP_DATA_IDX_H_
#define LITEMP_DATA_IDX_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "litemp/status.h"

namespace litemp::data {

// An idx array of unsigned bytes: dims[0] items of product(dims[1:]) bytes each.
struct IdxArray {
  std::vector<int64_t> dims;
  std::string data;  // the payload, dims product bytes
};

// Inflates `bytes` when they start with the gzip magic (1f 8b); returns them unchanged
// otherwise. InvalidArgument for corrupt or truncated gzip data. When `wanted` is given it
// is asked, as output arrives, how many bytes are needed given the output so far (SIZE_MAX
// while unknown); inflation stops there, so a small file cannot inflate without bound
// (a gzip bomb), and anything after the needed bytes is not read.
Result<std::string> MaybeGunzip(std::string bytes, const std::function<size_t(std::string_view)>& wanted = nullptr);

// The bytes an idx file of this header needs (header plus payload), SIZE_MAX while `head`
// is too short to tell; for MaybeGunzip.
size_t IdxBytesWanted(std::string_view head);

// Parses an (already inflated) idx file. Only the unsigned-byte type (0x08) is supported,
// which is what MNIST uses; other types -> NotSupported.
Result<IdxArray> ParseIdx(std::string bytes);

// Reads, inflates and parses `path`; messages name the file.
Result<IdxArray> ReadIdxFile(const std::string& path);

}  // namespace litemp::data

#endif  // LITEMP_DATA_IDX_H_
