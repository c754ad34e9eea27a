#include "core/status.h"

#include <cstring>

namespace portstorm {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk: return "ok";
    case Code::kInvalidArgument: return "invalid argument";
    case Code::kNotFound: return "not found";
    case Code::kParseError: return "parse error";
    case Code::kCorruption: return "corruption";
    case Code::kIOError: return "I/O error";
    case Code::kAlreadyExists: return "already exists";
    case Code::kUnsupported: return "unsupported";
    case Code::kInternal: return "internal error";
  }
  return "unknown";
}

Status Status::FromErrno(std::string context, int err) {
  context += ": ";
  context += std::strerror(err);
  return Status(Code::kIOError, std::move(context));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s(CodeName(code_));
  if (!message_.empty()) {
    s += ": ";
    s += message_;
  }
  return s;
}

int Status::ExitCode() const {
  switch (code_) {
    case Code::kOk: return 0;
    case Code::kInvalidArgument:
    case Code::kParseError: return 2;
    case Code::kNotFound: return 3;
    case Code::kCorruption: return 4;
    case Code::kIOError: return 5;
    default: return 1;
  }
}

}  // namespace portstorm
