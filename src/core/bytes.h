// Packing plain values into a byte string and back, for payloads exchanged between ranks of
// one job (same binary, same machine type): raw bytes, so doubles cross bit for bit.
#ifndef LITEMP_CORE_BYTES_H_
#define LITEMP_CORE_BYTES_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "litemp/status.h"

namespace litemp {

class ByteWriter {
 public:
  template <class T>
  void Put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void PutString(const std::string& s) {
    Put<uint64_t>(s.size());
    out_ += s;
  }
  template <class T>
  void PutVector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what a ByteWriter wrote; a short or malformed string gives Internal (a payload is
// only ever made by the same code on another rank, so that is a bug, not bad input).
class ByteReader {
 public:
  explicit ByteReader(const std::string& in) : in_(in) {}
  template <class T>
  Status Get(T* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in_.size() - pos_ < sizeof(T)) return Short();
    std::memcpy(v, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return Status::OK();
  }
  Status GetString(std::string* s) {
    uint64_t n = 0;
    LITEMP_RETURN_IF_ERROR(Get(&n));
    if (in_.size() - pos_ < n) return Short();
    s->assign(in_, pos_, n);
    pos_ += n;
    return Status::OK();
  }
  template <class T>
  Status GetVector(std::vector<T>* v) {
    uint64_t n = 0;
    LITEMP_RETURN_IF_ERROR(Get(&n));
    if ((in_.size() - pos_) / sizeof(T) < n) return Short();
    v->resize(n);
    if (n) std::memcpy(v->data(), in_.data() + pos_, n * sizeof(T));  // data() may be null when empty
    pos_ += n * sizeof(T);
    return Status::OK();
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  Status Short() const { return Status::Internal("malformed payload from another rank"); }
  const std::string& in_;
  size_t pos_ = 0;
};

}  // namespace litemp

#endif  // LITEMP_CORE_BYTES_H_
