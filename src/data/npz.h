// NumPy .npz archives (np.savez / np.savez_compressed): a zip file whose members are .npy
// files, one per named array ("x.npy" holds array "x").
//
// The zip reader trusts nothing in the archive: every offset and size is checked against
// the bytes held, every member's CRC-32 is verified, and a deflated member may not inflate
// beyond its stated size (nor state a size deflate cannot reach from its compressed
// bytes), so a corrupt or hostile file returns an error in bounded memory. Thread-safe: no
// shared state.
#ifndef LITEMP_DATA_NPZ_H_
#define LITEMP_DATA_NPZ_H_

#include <string>
#include <vector>

#include "litemp/data.h"
#include "litemp/status.h"

namespace litemp::data {

struct ZipMember {
  std::string name;  // as stored in the archive
  std::string data;  // uncompressed bytes
};

// Extracts every member of the zip archive in `bytes`, in central-directory order. Members
// may be stored or deflated; zip64 sizes and offsets are understood. InvalidArgument for a
// truncated or corrupt archive (naming the member where there is one); NotSupported for
// encrypted members, other compression methods or multi-disk archives.
Result<std::vector<ZipMember>> ReadZip(const std::string& bytes);

// Parses an .npz: each member must be "<name>.npy" with a non-empty, unique <name>, and is
// parsed like a .npy file (ParseNpy: float32 of the stored shape, NaN/Inf rejected). Returns
// the arrays named <name>, in archive order; InvalidArgument for an archive without
// arrays. Messages name the member but not the file; the caller adds it.
Result<SampleInputs> ParseNpz(const std::string& bytes);

}  // namespace litemp::data

#endif  // LITEMP_DATA_NPZ_H_
