// Status and Result<T>: portstorm's error values.
//
// No portstorm code throws. A function that can fail returns a Status or a
// Result<T> (shaped like std::expected<T, Status>); both are [[nodiscard]].
// Each Code maps to one process exit code (ExitCode) so the CLI and, later,
// the HTTP server translate errors the same way everywhere.
//
// Thread-safety: values; safe to copy between threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace portstorm {

enum class Code : unsigned char {
  kOk = 0,
  kInvalidArgument,  // the caller (user) gave something unusable
  kNotFound,
  kParseError,       // input text could not be understood
  kCorruption,       // on-disk data failed a checksum or a structural check
  kIOError,          // the operating system refused
  kAlreadyExists,
  kUnsupported,
  kInternal,         // a bug in portstorm
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {Code::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {Code::kNotFound, std::move(m)}; }
  static Status ParseError(std::string m) { return {Code::kParseError, std::move(m)}; }
  static Status Corruption(std::string m) { return {Code::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {Code::kIOError, std::move(m)}; }
  // IOError with strerror(err) appended: "<context>: <strerror>".
  static Status FromErrno(std::string context, int err);
  static Status AlreadyExists(std::string m) { return {Code::kAlreadyExists, std::move(m)}; }
  static Status Unsupported(std::string m) { return {Code::kUnsupported, std::move(m)}; }
  static Status Internal(std::string m) { return {Code::kInternal, std::move(m)}; }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corruption: segment 2005/01/11/00/p000003.seg: column 4 checksum mismatch"
  std::string ToString() const;

  // Process exit code for this status: 0 ok, 2 invalid argument/parse error,
  // 3 not found, 4 corruption, 5 I/O error, 1 anything else.
  int ExitCode() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T>: a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok() && "Result constructed from an ok Status");
  }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Status& status() const& {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<1>(v_);
  }
  Status status() && { return ok() ? Status() : std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace portstorm

// Returns early from the enclosing function when `expr` is a non-ok Status.
#define PS_RETURN_IF_ERROR(expr)                    \
  do {                                              \
    ::portstorm::Status ps_status_ = (expr);        \
    if (!ps_status_.ok()) return ps_status_;        \
  } while (0)

#define PS_CONCAT_INNER_(a, b) a##b
#define PS_CONCAT_(a, b) PS_CONCAT_INNER_(a, b)
// PS_ASSIGN_OR_RETURN(auto x, MakeX()); returns the Status on failure.
#define PS_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto PS_CONCAT_(ps_result_, __LINE__) = (expr);                       \
  if (!PS_CONCAT_(ps_result_, __LINE__).ok())                           \
    return std::move(PS_CONCAT_(ps_result_, __LINE__)).status();        \
  lhs = std::move(PS_CONCAT_(ps_result_, __LINE__)).value()
