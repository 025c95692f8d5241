#include "onnx/external_data.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>

#include "onnx/tensor_proto.h"

namespace litemp {

namespace {

// One private mapping of a whole file; unmapped when the last tensor viewing it goes.
class Mapping {
 public:
  Mapping(void* base, size_t size) : base_(base), size_(size) {}
  ~Mapping() { munmap(base_, size_); }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  char* data() const { return static_cast<char*>(base_); }
  size_t size() const { return size_; }

 private:
  void* base_;
  size_t size_;
};

// Live mappings by file identity, so that every tensor of a file, in every model loaded
// from it, shares one mapping. Size and modification time are part of the key: a file
// changed since it was mapped gets a fresh mapping rather than the stale one.
struct FileId {
  dev_t dev;
  ino_t ino;
  off_t size;
  int64_t mtime_ns;
  bool operator<(const FileId& o) const {
    return std::tie(dev, ino, size, mtime_ns) < std::tie(o.dev, o.ino, o.size, o.mtime_ns);
  }
};

FileId IdOf(const struct stat& st) {
  return FileId{st.st_dev, st.st_ino, st.st_size, int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec};
}

std::mutex g_mappings_mu;
std::map<FileId, std::weak_ptr<Mapping>>& Mappings() {
  static auto* m = new std::map<FileId, std::weak_ptr<Mapping>>();  // never destroyed: no exit-order issues
  return *m;
}

// The shared mapping of the file at `path`, or null when it cannot be mapped (empty, not a
// regular file, mmap refused); the caller then reads a copy.
std::shared_ptr<Mapping> MapFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return nullptr;
  std::lock_guard<std::mutex> lock(g_mappings_mu);
  auto& live = Mappings();
  if (auto it = live.find(IdOf(st)); it != live.end())
    if (auto m = it->second.lock()) return m;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat now;
  // The file opened must be the one identified above (it may have been replaced since).
  if (::fstat(fd, &now) != 0 || IdOf(now).ino != st.st_ino || now.st_size != st.st_size) {
    ::close(fd);
    return nullptr;
  }
  // Private and writable: a write copies the page and never reaches the file.
  void* base = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  ::close(fd);  // the mapping keeps the file open
  if (base == MAP_FAILED) return nullptr;
  auto m = std::make_shared<Mapping>(base, static_cast<size_t>(st.st_size));
  for (auto it = live.begin(); it != live.end();) it = it->second.expired() ? live.erase(it) : std::next(it);
  live[IdOf(st)] = m;
  return m;
}

// Reads `length` bytes at `offset` of `path` into `dst`.
Status ReadRange(const std::string& path, int64_t offset, int64_t length, char* dst, const std::string& name) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("initializer '" + name + "': cannot open external data '" + path + "'");
  int64_t done = 0;
  while (done < length) {
    const ssize_t n = ::pread(fd, dst + done, static_cast<size_t>(length - done), offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += n;
  }
  ::close(fd);
  if (done != length) return Status::IOError("initializer '" + name + "': cannot read '" + path + "'");
  return Status::OK();
}

}  // namespace

Result<ExternalDataRef> LocateExternalData(const onnx::TensorProto& p, const std::string& dir) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto& kv : p.external_data()) {
    if (kv.key() == "location") location = kv.value();
    else if (kv.key() == "offset") offset = std::atoll(kv.value().c_str());
    else if (kv.key() == "length") length = std::atoll(kv.value().c_str());
  }
  if (location.empty() || location.find("..") != std::string::npos || location[0] == '/')
    return Status::Corruption("initializer '" + p.name() + "' has an invalid external data location '" + location +
                              "'");
  ExternalDataRef ref;
  ref.path = (std::filesystem::path(dir) / location).string();
  struct stat st;
  if (::stat(ref.path.c_str(), &st) != 0 || S_ISDIR(st.st_mode))
    return Status::IOError("initializer '" + p.name() + "': cannot open external data '" + ref.path + "'");
  const int64_t size = st.st_size;
  if (length < 0) length = size - offset;
  if (offset < 0 || length < 0 || offset > size || length > size - offset)
    return Status::Corruption("initializer '" + p.name() + "': external data range exceeds '" + ref.path + "'");
  ref.offset = offset;
  ref.length = length;
  return ref;
}

Result<Tensor> ExternalTensor(const onnx::TensorProto& p, const ExternalDataRef& ref, bool* mapped) {
  if (mapped) *mapped = false;
  DType dt;
  Shape shape;
  LITEMP_RETURN_IF_ERROR(ProtoTypeAndShape(p, &dt, &shape));
  LITEMP_RETURN_IF_ERROR(CheckDataBytes(p, ref.length, dt, shape));
  // The mapping starts on a page boundary, so the data is aligned to its element size
  // exactly when its offset in the file is; otherwise kernels could not read it in place.
  if (ref.length > 0 && ref.offset % static_cast<int64_t>(DTypeSize(dt)) == 0) {
    std::shared_ptr<Mapping> file = MapFile(ref.path);
    // The size check also covers a file that changed since LocateExternalData looked at it.
    if (file && static_cast<size_t>(ref.offset + ref.length) <= file->size()) {
      if (mapped) *mapped = true;
      char* data = file->data() + ref.offset;
      return Tensor::Wrap(dt, std::move(shape), data, std::move(file));
    }
  }
  Tensor t(dt, std::move(shape));
  LITEMP_RETURN_IF_ERROR(ReadRange(ref.path, ref.offset, ref.length, static_cast<char*>(t.raw_data()), p.name()));
  return t;
}

bool InExternalDataMapping(const void* p) {
  const char* c = static_cast<const char*>(p);
  std::lock_guard<std::mutex> lock(g_mappings_mu);
  for (const auto& [id, weak] : Mappings())
    if (auto m = weak.lock(); m && c >= m->data() && c < m->data() + m->size()) return true;
  return false;
}

Status InlineExternalData(onnx::TensorProto* p, const std::string& dir) {
  LITEMP_ASSIGN_OR_RETURN(ExternalDataRef ref, LocateExternalData(*p, dir));
  std::string bytes(static_cast<size_t>(ref.length), '\0');
  LITEMP_RETURN_IF_ERROR(ReadRange(ref.path, ref.offset, ref.length, bytes.data(), p->name()));
  p->set_raw_data(std::move(bytes));
  p->clear_external_data();
  p->set_data_location(onnx::TensorProto::DEFAULT);
  return Status::OK();
}

}  // namespace litemp
