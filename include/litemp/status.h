// Status and Result<T>: how every fallible litemp call reports failure.
//
// An OK Status carries no message. A failed one has a code and a message that names what
// failed ("node 'conv1' (Conv): weight rank 3, expected 4"). Exceptions never cross a
// litemp module boundary; callers check Status instead. Thread-compatible value types.
#ifndef LITEMP_STATUS_H_
#define LITEMP_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace litemp {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk = 0, kInvalidArgument, kNotSupported, kCorruption, kIOError, kInternal };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotSupported(std::string msg) { return Status(Code::kNotSupported, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }
  // A status received from elsewhere (another rank); an unknown or OK code gives Internal.
  static Status FromCode(Code c, std::string msg) {
    return Status(c > Code::kOk && c <= Code::kInternal ? c : Code::kInternal, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }
  bool IsNotSupported() const { return code_ == Code::kNotSupported; }

  // Returns a copy with `context` prepended: "context: message".
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + msg_);
  }
  std::string ToString() const { return ok() ? "OK" : msg_; }

 private:
  Status(Code c, std::string m) : code_(c), msg_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string msg_;
};

// Either a value or a non-OK Status.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}                         // NOLINT
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

#define LITEMP_CONCAT_INNER_(a, b) a##b
#define LITEMP_CONCAT_(a, b) LITEMP_CONCAT_INNER_(a, b)

#define LITEMP_RETURN_IF_ERROR(expr)           \
  do {                                         \
    ::litemp::Status _litemp_s = (expr);       \
    if (!_litemp_s.ok()) return _litemp_s;     \
  } while (0)

// LITEMP_ASSIGN_OR_RETURN(auto x, FunctionReturningResult());
// The expression may contain commas (template arguments).
#define LITEMP_ASSIGN_OR_RETURN(lhs, ...) \
  LITEMP_ASSIGN_OR_RETURN_IMPL_(LITEMP_CONCAT_(_litemp_r_, __LINE__), lhs, (__VA_ARGS__))
#define LITEMP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()

// Returns InvalidArgument(msg) when cond is false.
#define LITEMP_CHECK(cond, msg)                                         \
  do {                                                                  \
    if (!(cond)) return ::litemp::Status::InvalidArgument(msg);         \
  } while (0)

}  // namespace litemp

#endif  // LITEMP_STATUS_H_
