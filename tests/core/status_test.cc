#include "core/status.h"

#include <gtest/gtest.h>

namespace portstorm {
namespace {

Result<int> Half(int v) {
  if (v % 2) return Status::InvalidArgument(std::to_string(v) + " is odd");
  return v / 2;
}

Status Chain(int v, int* out) {
  PS_ASSIGN_OR_RETURN(int h, Half(v));
  PS_ASSIGN_OR_RETURN(int q, Half(h));
  *out = q;
  return Status::Ok();
}

TEST(StatusTest, ResultCarriesValueOrError) {
  int out = 0;
  EXPECT_TRUE(Chain(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Chain(6, &out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.ToString(), "invalid argument: 3 is odd");
  EXPECT_EQ(s.ExitCode(), 2);
  EXPECT_EQ(Status::Corruption("x").ExitCode(), 4);
}

}  // namespace
}  // namespace portstorm
