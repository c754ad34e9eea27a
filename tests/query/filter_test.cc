#include "query/filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/memory_reader.h"
#include "store/reader.h"

namespace portstorm::query {
namespace {

Event Ev(uint8_t proto, std::string_view src, uint16_t sport, std::string_view dst, uint16_t dport,
         uint8_t flags = 0, uint32_t sensor = 0) {
  Event e;
  e.proto = proto;
  e.src = *IpAddr::Parse(src);
  e.dst = *IpAddr::Parse(dst);
  e.sport = sport;
  e.dport = dport;
  e.tcp_flags = flags;
  e.sensor = sensor;
  return e;
}

bool Match(std::string_view text, const Event& e, const store::Reader* reader = nullptr) {
  auto f = Filter::Compile(text, reader);
  EXPECT_TRUE(f.ok()) << text << ": " << f.status().ToString();
  if (!f.ok()) return false;
  return f->Matches(e);
}

std::string Canon(std::string_view text) {
  auto e = ParseFilter(text);
  if (!e.ok()) return "ERROR " + e.status().message();
  return e->ToString();
}

// ------------------------------------------------------------ parsing

TEST(FilterParse, CanonicalForms) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "any"},
      {"   ", "any"},
      {"any", "any"},
      {"proto tcp", "proto tcp"},
      {"PROTO UDP", "proto udp"},
      {"proto 6", "proto tcp"},
      {"proto 99", "proto 99"},
      {"tcp", "proto tcp"},
      {"icmp", "proto icmp"},
      {"ip 1.2.3.4", "ip 1.2.3.4"},
      {"host 1.2.3.4", "ip 1.2.3.4"},
      {"src ip 1.2.3.4", "src ip 1.2.3.4"},
      {"dst host 2001:DB8::1", "dst ip 2001:db8::1"},
      {"net 10.1.2.3/8", "net 10.0.0.0/8"},
      {"src net 83.50.0.0/16", "src net 83.50.0.0/16"},
      {"dst net 2001:db8::/32", "dst net 2001:db8::/32"},
      {"net 1.2.3.4/32", "ip 1.2.3.4"},
      {"net 0.0.0.0/0", "net 0.0.0.0/0"},
      {"net ::/0", "net ::/0"},
      {"port 80", "port 80"},
      {"dst port 1026-1031", "dst port 1026-1031"},
      {"dst port 1026 - 1031", "dst port 1026-1031"},
      {"dst port 1026 -1031", "dst port 1026-1031"},
      {"dst port 1026- 1031", "dst port 1026-1031"},
      {"dport 1026-1031", "dst port 1026-1031"},
      {"sport 666", "src port 666"},
      {"src port in [666 4177]", "src port in [666 4177]"},
      {"src port in [4177, 666]", "src port in [666 4177]"},
      {"port in [1026-1031 135]", "port in [135 1026-1031]"},
      {"port in [1 2 3]", "port 1-3"},
      {"port in [80]", "port 80"},
      {"port in [10-20 15-30 31]", "port 10-31"},
      {"port > 1023", "port 1024-65535"},
      {"port >= 1024", "port 1024-65535"},
      {"port < 1024", "port 0-1023"},
      {"port <= 1023", "port 0-1023"},
      {"port = 80", "port 80"},
      {"port == 80", "port 80"},
      {"flags S", "flags S"},
      {"flags as", "flags SA"},
      {"flags SFAPRU12", "flags SFAPRU12"},
      {"sensor home-gw", "sensor home-gw"},
      {"sensor \"my gw\"", "sensor \"my gw\""},
      {"sensor \"a\\\"b\"", "sensor \"a\\\"b\""},
      {"sensor and", "sensor and"},
      {"not port 80", "not port 80"},
      {"! port 80", "not port 80"},
      {"!port 80", "not port 80"},
      {"not not port 80", "not not port 80"},
      {"port 1 and port 2 or port 3", "port 1 and port 2 or port 3"},
      {"port 1 and (port 2 or port 3)", "port 1 and (port 2 or port 3)"},
      {"(port 1 and port 2) or port 3", "port 1 and port 2 or port 3"},
      {"(port 1 or port 2) or (port 3 or port 4)", "port 1 or port 2 or port 3 or port 4"},
      {"port 1 && port 2 || !port 3", "port 1 and port 2 or not port 3"},
      {"not (port 1 and port 2)", "not (port 1 and port 2)"},
      {"any and port 80", "port 80"},
      {"any or port 80", "any"},
      {"((port 80))", "port 80"},
      {"dst port 1026-1031 and not src port in [666 4177]",
       "dst port 1026-1031 and not src port in [666 4177]"},
      {"proto udp and dst port 1026-1031 and not src port in [666 4177]",
       "proto udp and dst port 1026-1031 and not src port in [666 4177]"},
      {"dport 1026-1031 and not sport in [666 4177]",
       "dst port 1026-1031 and not src port in [666 4177]"},
      {"flags S and not flags A", "flags S and not flags A"},
      {"proto tcp\nand\tdst port 3771", "proto tcp and dst port 3771"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(Canon(in), want) << "input: " << in;
}

TEST(FilterParse, CanonicalFormRoundTrips) {
  const char* inputs[] = {
      "proto udp and dst port 1026-1031 and not src port in [666 4177]",
      "not (src net 10.0.0.0/8 or dst ip ::1) and flags SA",
      "sensor \"x y\" or (port in [1 5 7-9] and not not tcp)",
      "net ::ffff:0:0/96 or net 2001:db8::/127",
      "((a_sensor_free)) or port 1",
  };
  for (const char* in : inputs) {
    auto e = ParseFilter(in);
    if (!e.ok()) continue;  // the last one is an error on purpose
    auto again = ParseFilter(e->ToString());
    ASSERT_TRUE(again.ok()) << e->ToString() << ": " << again.status().ToString();
    EXPECT_EQ(*again, *e) << in;
    EXPECT_EQ(again->ToString(), e->ToString());
  }
}

TEST(FilterParse, AstShape) {
  auto e = ParseFilter("proto tcp and (dst port 80 or src net 10.0.0.0/8)");
  ASSERT_TRUE(e.ok());
  ASSERT_EQ(e->kind, Expr::Kind::kAnd);
  ASSERT_EQ(e->children.size(), 2u);
  EXPECT_EQ(e->children[0].kind, Expr::Kind::kProto);
  EXPECT_EQ(e->children[0].proto, kProtoTcp);
  const Expr& o = e->children[1];
  ASSERT_EQ(o.kind, Expr::Kind::kOr);
  EXPECT_EQ(o.children[0].kind, Expr::Kind::kPort);
  EXPECT_EQ(o.children[0].side, Side::kDst);
  EXPECT_EQ(o.children[0].ports, (std::vector<PortRange>{{80, 80}}));
  EXPECT_EQ(o.children[1].kind, Expr::Kind::kNet);
  EXPECT_EQ(o.children[1].side, Side::kSrc);
  EXPECT_EQ(o.children[1].net.bits, 96 + 8);
}

struct BadCase {
  const char* text;
  const char* first_line;  // first line of the error message
};

TEST(FilterParse, ErrorsPointAtTheColumn) {
  const BadCase cases[] = {
      {"dst port x", "filter:1:10: expected a port number after 'port', found 'x'"},
      {"dst port", "filter:1:9: expected a port number after 'port', found the end of the filter"},
      {"port 70000", "filter:1:6: port 70000 is out of range (0-65535)"},
      {"port 1031-1026", "filter:1:6: port range 1031-1026 is reversed (write 1026-1031)"},
      {"port 1026-x", "filter:1:11: expected a port number after '-', found 'x'"},
      {"port 1026-70000", "filter:1:11: port 70000 is out of range (0-65535)"},
      {"port in 80", "filter:1:9: expected '[' after 'in', found '80'"},
      {"port in []", "filter:1:10: empty port list"},
      {"port in [80 x]", "filter:1:13: expected a port number after '[', found 'x'"},
      {"port in [80", "filter:1:12: expected a port number or ']' in the port list opened at "
                      "column 9, found the end of the filter"},
      {"port > 65535", "filter:1:8: port > 65535 matches no port"},
      {"port < 0", "filter:1:8: port < 0 matches no port"},
      {"port >", "filter:1:7: expected a port number after '>', found the end of the filter"},
      {"proto", "filter:1:6: expected a protocol (tcp, udp, icmp, ... or 0-255) after 'proto', "
                "found the end of the filter"},
      {"proto xyz", "filter:1:7: expected a protocol (tcp, udp, icmp, ... or 0-255) after "
                    "'proto', found 'xyz'"},
      {"proto 256", "filter:1:7: expected a protocol (tcp, udp, icmp, ... or 0-255) after "
                    "'proto', found '256'"},
      {"ip 1.2.3", "filter:1:4: expected an IP address after 'ip', found '1.2.3'"},
      {"src ip 10.0.0.0/8", "filter:1:8: expected an IP address after 'ip', found '10.0.0.0/8' "
                            "(use 'net' for a CIDR)"},
      {"dst net 10.0.0.0/33", "filter:1:9: expected a network (CIDR, e.g. 10.0.0.0/8) after "
                              "'net', found '10.0.0.0/33'"},
      {"src 1.2.3.4", "filter:1:5: expected 'ip', 'net' or 'port' after 'src', found '1.2.3.4'"},
      {"dst", "filter:1:4: expected 'ip', 'net' or 'port' after 'dst', found the end of the "
              "filter"},
      {"flags SX", "filter:1:8: unknown TCP flag 'X' (flags are S F A P R U 1 2)"},
      {"flags", "filter:1:6: expected TCP flag letters (S F A P R U 1 2) after 'flags', found "
                "the end of the filter"},
      {"sensor", "filter:1:7: expected a sensor name after 'sensor', found the end of the filter"},
      {"sensor \"abc", "filter:1:8: unterminated string"},
      {"foo", "filter:1:1: expected a filter primitive (proto, ip, net, port, flags, sensor, src, "
              "dst, any), 'not' or '(', found 'foo'"},
      {"port 80 port 81", "filter:1:9: expected 'and', 'or' or the end of the filter, found "
                          "'port'"},
      {"port 80 and", "filter:1:12: expected a filter primitive (proto, ip, net, port, flags, "
                      "sensor, src, dst, any), 'not' or '(', found the end of the filter"},
      {"port 80 or or port 1", "filter:1:12: expected a filter primitive (proto, ip, net, port, "
                               "flags, sensor, src, dst, any), 'not' or '(', found 'or'"},
      {"(port 80", "filter:1:9: expected ')' to close the '(' at column 1, found the end of the "
                   "filter"},
      {"port 80)", "filter:1:8: expected 'and', 'or' or the end of the filter, found ')'"},
      {"port 80 & port 1", "filter:1:9: unexpected '&' (write 'and' or '&&')"},
      {"port 80 | port 1", "filter:1:9: unexpected '|' (write 'or' or '||')"},
      {"not", "filter:1:4: expected a filter primitive (proto, ip, net, port, flags, sensor, src, "
              "dst, any), 'not' or '(', found the end of the filter"},
      {"proto tcp\nand dst port x", "filter:2:14: expected a port number after 'port', found 'x'"},
  };
  for (const BadCase& c : cases) {
    auto r = ParseFilter(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().code(), Code::kParseError);
    const std::string& m = r.status().message();
    EXPECT_EQ(m.substr(0, m.find('\n')), c.first_line) << "input: " << c.text;
  }
}

TEST(FilterParse, ErrorShowsCaret) {
  auto r = ParseFilter("dst port x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "filter:1:10: expected a port number after 'port', found 'x'\n"
            "  dst port x\n"
            "           ^");
  auto r2 = ParseFilter("proto tcp\nand dst port x");
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.status().message(),
            "filter:2:14: expected a port number after 'port', found 'x'\n"
            "  and dst port x\n"
            "               ^");
}

TEST(FilterParse, DeepNestingIsAnErrorNotACrash) {
  std::string deep(5000, '(');
  auto r = ParseFilter(deep + "port 1" + std::string(5000, ')'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nested too deeply"), std::string::npos);
  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  EXPECT_FALSE(ParseFilter(nots + "port 1").ok());
  // 50 levels are fine.
  EXPECT_TRUE(ParseFilter(std::string(50, '(') + "port 1" + std::string(50, ')')).ok());
}

// ------------------------------------------------------------ evaluation

TEST(FilterEval, Primitives) {
  Event e = Ev(kProtoTcp, "83.50.134.3", 4321, "10.0.0.50", 3771, tcp::kSyn, 2);
  EXPECT_TRUE(Match("", e));
  EXPECT_TRUE(Match("any", e));
  EXPECT_TRUE(Match("proto tcp", e));
  EXPECT_FALSE(Match("proto udp", e));
  EXPECT_TRUE(Match("tcp", e));
  EXPECT_TRUE(Match("ip 83.50.134.3", e));
  EXPECT_TRUE(Match("ip 10.0.0.50", e));
  EXPECT_TRUE(Match("src ip 83.50.134.3", e));
  EXPECT_FALSE(Match("dst ip 83.50.134.3", e));
  EXPECT_TRUE(Match("dst ip 10.0.0.50", e));
  EXPECT_TRUE(Match("src net 83.50.0.0/16", e));
  EXPECT_FALSE(Match("src net 83.51.0.0/16", e));
  EXPECT_TRUE(Match("net 10.0.0.0/8", e));
  EXPECT_FALSE(Match("src net 10.0.0.0/8", e));
  EXPECT_TRUE(Match("net 0.0.0.0/0", e));
  EXPECT_TRUE(Match("net 83.50.134.3/32", e));
  EXPECT_FALSE(Match("net 83.50.134.2/32", e));
  EXPECT_TRUE(Match("net 83.50.134.0/31", e) == false);
  EXPECT_TRUE(Match("net 83.50.134.2/31", e));
  EXPECT_TRUE(Match("port 3771", e));
  EXPECT_TRUE(Match("port 4321", e));
  EXPECT_TRUE(Match("dst port 3771", e));
  EXPECT_FALSE(Match("src port 3771", e));
  EXPECT_TRUE(Match("src port 4000-5000", e));
  EXPECT_FALSE(Match("dst port 4000-5000", e));
  EXPECT_TRUE(Match("dst port in [1 2 3771]", e));
  EXPECT_TRUE(Match("dst port > 1023", e));
  EXPECT_FALSE(Match("dst port < 1024", e));
  EXPECT_TRUE(Match("flags S", e));
  EXPECT_FALSE(Match("flags SA", e));
  EXPECT_TRUE(Match("flags S and not flags A", e));
  Event synack = e;
  synack.tcp_flags = tcp::kSyn | tcp::kAck;
  EXPECT_TRUE(Match("flags SA", synack));
  EXPECT_TRUE(Match("flags AS", synack));
  EXPECT_FALSE(Match("flags S and not flags A", synack));
  Event all = e;
  all.tcp_flags = 0xff;
  EXPECT_TRUE(Match("flags SFAPRU12", all));
  all.tcp_flags = 0xff & ~tcp::kEce;
  EXPECT_FALSE(Match("flags 2", all));
  EXPECT_TRUE(Match("flags 1", all));
}

TEST(FilterEval, Ipv6) {
  Event e = Ev(kProtoUdp, "2001:db8::7", 53, "2001:db8:1::50", 1026);
  EXPECT_TRUE(Match("src ip 2001:db8::7", e));
  EXPECT_TRUE(Match("ip 2001:0db8:0000::7", e));
  EXPECT_FALSE(Match("ip 2001:db8::8", e));
  EXPECT_TRUE(Match("src net 2001:db8::/32", e));
  EXPECT_TRUE(Match("dst net 2001:db8:1::/48", e));
  EXPECT_FALSE(Match("src net 2001:db8:1::/48", e));
  EXPECT_TRUE(Match("net 2001:db8:1::/127 or src net 2001:db8::6/127", e));
  EXPECT_FALSE(Match("net 0.0.0.0/0", e));  // IPv4 nets never match IPv6
  EXPECT_TRUE(Match("net ::/0", e));
  Event v4 = Ev(kProtoUdp, "1.2.3.4", 53, "5.6.7.8", 1026);
  EXPECT_TRUE(Match("net ::/0", v4));
  EXPECT_TRUE(Match("src ip ::ffff:1.2.3.4", v4));
  EXPECT_FALSE(Match("net 2001:db8::/32", v4));
  // Prefix lengths not on a byte or word boundary.
  EXPECT_TRUE(Match("src net 2001:db8::/29", e));
  EXPECT_TRUE(Match("src net 2001:db8::4/126", e));
  EXPECT_FALSE(Match("src net 2001:db8::8/125", e));
  EXPECT_TRUE(Match("src net 2001:db8::/65", e));
}

TEST(FilterEval, PrecedenceNotAndOr) {
  Event e = Ev(kProtoTcp, "1.1.1.1", 1, "2.2.2.2", 2);
  // a or b and c == a or (b and c)
  EXPECT_TRUE(Match("port 1 or port 9 and port 8", e));
  EXPECT_FALSE(Match("(port 1 or port 9) and port 8", e));
  // not binds tighter than and
  EXPECT_FALSE(Match("not port 1 and port 2", e));
  EXPECT_TRUE(Match("not (port 1 and port 9)", e));
  EXPECT_TRUE(Match("not port 9 and not port 8 or port 7", e));
  EXPECT_TRUE(Match("! port 9 && port 2 || port 7", e));
  EXPECT_FALSE(Match("not any", e));
  EXPECT_TRUE(Match("not not port 1", e));
}

TEST(FilterEval, Seed001FeedFilter) {
  const char* f = "dst port 1026-1031 and not src port in [666 4177]";
  EXPECT_TRUE(Match(f, Ev(kProtoUdp, "9.1.2.3", 3456, "10.0.0.1", 1026)));
  EXPECT_TRUE(Match(f, Ev(kProtoUdp, "9.1.2.3", 3456, "10.0.0.1", 1031)));
  EXPECT_FALSE(Match(f, Ev(kProtoUdp, "9.1.2.3", 3456, "10.0.0.1", 1032)));
  EXPECT_FALSE(Match(f, Ev(kProtoUdp, "9.1.2.3", 3456, "10.0.0.1", 1025)));
  EXPECT_FALSE(Match(f, Ev(kProtoUdp, "9.1.2.3", 666, "10.0.0.1", 1026)));
  EXPECT_FALSE(Match(f, Ev(kProtoUdp, "9.1.2.3", 4177, "10.0.0.1", 1027)));
  EXPECT_TRUE(Match(f, Ev(kProtoTcp, "9.1.2.3", 4178, "10.0.0.1", 1027)));
  EXPECT_TRUE(Match("port in [1026-1031 135]", Ev(kProtoUdp, "9.1.2.3", 3, "10.0.0.1", 135)));
  EXPECT_TRUE(Match("port in [1026-1031 135]", Ev(kProtoUdp, "9.1.2.3", 3, "10.0.0.1", 1029)));
  EXPECT_FALSE(Match("port in [1026-1031 135]", Ev(kProtoUdp, "9.1.2.3", 3, "10.0.0.1", 137)));
}

TEST(FilterEval, SensorsResolveThroughTheReader) {
  testing::MemoryReader reader;
  reader.SetSensors({"home-gw", "dmz"});
  Event e = Ev(kProtoTcp, "1.1.1.1", 1, "2.2.2.2", 2, 0, /*sensor=*/2);
  EXPECT_TRUE(Match("sensor dmz", e, &reader));
  EXPECT_FALSE(Match("sensor home-gw", e, &reader));
  auto f = Filter::Compile("sensor nosuch or sensor dmz or sensor nosuch", &reader);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->Matches(e));
  EXPECT_EQ(f->unknown_sensors(), std::vector<std::string>{"nosuch"});
  // Unknown sensors match nothing; so does any sensor without a reader.
  EXPECT_FALSE(Match("sensor nosuch", e, &reader));
  EXPECT_TRUE(Match("not sensor nosuch", e, &reader));
  EXPECT_FALSE(Match("sensor dmz", e, nullptr));
}

TEST(FilterEval, HandBuiltAsts) {
  Event e = Ev(kProtoTcp, "1.1.1.1", 1, "2.2.2.2", 80);
  // Unnormalised ranges and non-flattened trees still evaluate correctly.
  Expr p;
  p.kind = Expr::Kind::kPort;
  p.side = Side::kDst;
  p.ports = {{90, 99}, {85, 70}};
  auto f = Filter::Compile(p, nullptr);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->Matches(e));
  Expr empty_or;
  empty_or.kind = Expr::Kind::kOr;
  EXPECT_FALSE(Filter::Compile(empty_or, nullptr)->Matches(e));
  Expr empty_and;
  empty_and.kind = Expr::Kind::kAnd;
  EXPECT_TRUE(Filter::Compile(empty_and, nullptr)->Matches(e));
  Expr n = Expr::Not(Expr::Proto(kProtoUdp));
  n.children.push_back(Expr::Proto(kProtoTcp));  // extra children of `not` are ignored
  EXPECT_TRUE(Filter::Compile(n, nullptr)->Matches(e));
}

TEST(FilterEval, ColumnsNeeded) {
  namespace col = store::col;
  auto cols = [](const char* t) { return Filter::Compile(t, nullptr)->columns(); };
  EXPECT_EQ(cols(""), 0u);
  EXPECT_EQ(cols("proto tcp"), col::kProto);
  EXPECT_EQ(cols("src ip 1.2.3.4"), col::kSrc);
  EXPECT_EQ(cols("dst net 1.2.3.0/24"), col::kDst);
  EXPECT_EQ(cols("ip 1.2.3.4"), col::kSrc | col::kDst);
  EXPECT_EQ(cols("port 1 and flags S or sensor x"), col::kPorts | col::kFlags | col::kSensor);
}

TEST(FilterEval, DefaultFilterMatchesAll) {
  Filter f;
  EXPECT_TRUE(f.matches_all());
  EXPECT_TRUE(f.Matches(Event{}));
  EXPECT_EQ(f.ToString(), "any");
  EXPECT_FALSE(Filter::Compile("port 1", nullptr)->matches_all());
}

}  // namespace
}  // namespace portstorm::query
