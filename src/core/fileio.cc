#include "litemp/fileio.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace litemp {

Result<std::string> ReadFile(const std::string& path) {
  // An ifstream opens a folder without complaint and then reads nothing.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::IOError("'" + path + "' is a folder, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::IOError("cannot open '" + path + "': " + std::strerror(errno));
  std::ostringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return Status::IOError("cannot read '" + path + "'");
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IOError("cannot write '" + path + "': " + std::strerror(errno));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    std::remove(tmp.c_str());
    return Status::IOError("cannot write '" + path + "': " + std::strerror(e));
  }
  return Status::OK();
}

}  // namespace litemp
