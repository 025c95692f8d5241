// Small file helpers shared by every module that reads or writes files.
#ifndef LITEMP_FILEIO_H_
#define LITEMP_FILEIO_H_

#include <string>

#include "litemp/status.h"

namespace litemp {

// Reads a whole file; IOError naming the path when missing, unreadable or a folder.
Result<std::string> ReadFile(const std::string& path);
// Writes `data` to `path` via a temp file in the same folder and rename(), so readers never
// see a half-written file and a failure leaves any previous file intact.
Status WriteFileAtomic(const std::string& path, const std::string& data);

}  // namespace litemp

#endif  // LITEMP_FILEIO_H_
