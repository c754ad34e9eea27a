#include "core/event.h"

#include <gtest/gtest.h>

namespace portstorm {
namespace {

TEST(EventTest, ProtoNames) {
  EXPECT_EQ(ProtoName(6), "tcp");
  EXPECT_EQ(ProtoName(58), "ipv6-icmp");
  EXPECT_EQ(ProtoName(200), "200");
  EXPECT_EQ(ParseProto("TCP"), 6);
  EXPECT_EQ(ParseProto("icmpv6"), 58);
  EXPECT_EQ(ParseProto("17"), 17);
  EXPECT_FALSE(ParseProto("256"));
  EXPECT_FALSE(ParseProto("tcpx"));
  EXPECT_FALSE(ParseProto(""));
}

TEST(EventTest, FlagsInDShieldOrder) {
  EXPECT_EQ(FlagsString(tcp::kSyn), "S");
  EXPECT_EQ(FlagsString(tcp::kSyn | tcp::kAck), "SA");
  EXPECT_EQ(FlagsString(tcp::kFin | tcp::kAck), "FA");
  EXPECT_EQ(FlagsString(0), "");
}

TEST(EventTest, TcpOptionSignature) {
  // Seed 004: MSS: 1460 NOP NOP SackOK
  Event e;
  e.mss = 1460;
  e.tcp_opts = AppendTcpOpt(e.tcp_opts, TcpOpt::kMss);
  e.tcp_opts = AppendTcpOpt(e.tcp_opts, TcpOpt::kNop);
  e.tcp_opts = AppendTcpOpt(e.tcp_opts, TcpOpt::kNop);
  e.tcp_opts = AppendTcpOpt(e.tcp_opts, TcpOpt::kSackOk);
  EXPECT_EQ(TcpOptsString(e), "M1460,N,N,S");
}

}  // namespace
}  // namespace portstorm
