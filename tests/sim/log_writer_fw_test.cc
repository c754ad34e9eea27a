// Log writers of the firewall and IDS formats (panos, juniper_srx, checkpoint,
// suricata_eve, zeek_conn, csv): a fixed event gives a hand-checked line per
// format (checked against the real-form samples of docs/formats/<name>.md),
// and thousands of varied events (IPv4 and IPv6; TCP of every flag, UDP,
// UDP-Lite, ICMP, ICMPv6, fragments, other protocols; every action) written
// after Begin() parse back with portstorm's own parser, found by the
// auto-detector, into the fields each writer claims, plus the fields a
// format carries only in part (checked here with their exceptions).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "parse/parser.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

// ---------------------------------------------------------------------------
// Helpers

struct Parsed {
  std::vector<Event> events;
  std::vector<std::string> hosts;
  std::vector<std::string> rejects;  // "line N: reason: detail"
  std::vector<uint64_t> reject_lines;
};

class CollectSink : public parse::RecordSink {
 public:
  explicit CollectSink(Parsed* out) : out_(out) {}
  void OnRecord(const Event& e, std::string_view host) override {
    out_->events.push_back(e);
    out_->hosts.emplace_back(host);
  }
  void OnReject(uint64_t line, parse::Reason reason, std::string_view detail) override {
    out_->rejects.push_back("line " + std::to_string(line) + ": " +
                            std::string(parse::ReasonName(reason)) + ": " + std::string(detail));
    out_->reject_lines.push_back(line);
    if (reason != parse::Reason::kNotARecord) hard_rejects_ = true;
  }
  bool hard_rejects() const { return hard_rejects_; }

 private:
  Parsed* out_;
  bool hard_rejects_ = false;
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    if (nl == std::string_view::npos) {
      lines.push_back(text);
      break;
    }
    lines.push_back(text.substr(0, nl));
    text.remove_prefix(nl + 1);
  }
  return lines;
}

TimeUs Utc(int y, int mo, int d, int h, int mi, int s, int us = 0) {
  return FromCivilUtc(CivilTime{y, mo, d, h, mi, s, us});
}

IpAddr Addr(std::string_view s) { return *IpAddr::Parse(s); }

LogStyle Style(LogFormat f, SyslogHeader h = SyslogHeader::kRfc3164, std::string host = "gw") {
  LogStyle s;
  s.format = f;
  s.header = h;
  s.host = std::move(host);
  return s;
}

// Begin() and every event, as a file of that style.
std::string WriteFile(const LogStyle& style, const std::vector<Event>& events) {
  auto w = MakeLogWriter(style);
  std::string out;
  w->Begin(&out);
  for (const Event& e : events) w->Write(e, &out);
  return out;
}

std::string BeginText(const LogStyle& style) {
  std::string out;
  MakeLogWriter(style)->Begin(&out);
  return out;
}

// Seed 002's SYN to tcp/5000, as the goldens' fixed event.
Event Probe() {
  Event e;
  e.time = Utc(2005, 1, 11, 1, 42, 22, 250123);
  e.src = Addr("192.0.2.1");
  e.dst = Addr("198.51.100.2");
  e.sport = 4117;
  e.dport = 5000;
  e.proto = kProtoTcp;
  e.tcp_flags = tcp::kSyn;
  e.ttl = 52;
  e.ip_id = 4711;
  e.ip_flags = ipf::kDf;
  e.ip_len = 60;
  e.seq = 1296947564;
  e.window = 65535;
  e.action = Action::kDrop;
  return e;
}

Event Icmp6Echo() {
  Event e = Probe();
  e.src = Addr("2001:db8::7");
  e.dst = Addr("2001:db8:0:1::20");
  e.proto = kProtoIpv6Icmp;
  e.sport = 128;
  e.dport = 0;
  e.tcp_flags = 0;
  e.ip_id = 0;
  e.ip_flags = 0;
  e.ip_len = 104;
  e.ttl = 57;
  e.seq = (77u << 16) | 3;
  e.window = 0;
  return e;
}

// ---------------------------------------------------------------------------
// Varied events

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint32_t U(uint32_t lo, uint32_t hi) {
    return std::uniform_int_distribution<uint32_t>(lo, hi)(rng_);
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  IpAddr V6() {
    uint8_t b[16];
    for (uint8_t& x : b) x = static_cast<uint8_t>(rng_());
    b[0] = 0x20, b[1] = 0x01, b[2] = 0x0d, b[3] = 0xb8;
    int from = static_cast<int>(U(2, 7)), len = static_cast<int>(U(0, 6));
    for (int g = from; g < from + len && g < 8; ++g) b[2 * g] = b[2 * g + 1] = 0;
    return IpAddr::V6(b);
  }

  Event Make(TimeUs t) {
    Event e;
    e.time = t;
    const bool v6 = Chance(0.25);
    e.src = v6 ? V6() : IpAddr::V4(static_cast<uint32_t>(rng_()));
    e.dst = v6 ? V6() : IpAddr::V4(static_cast<uint32_t>(rng_()));
    e.ttl = static_cast<uint8_t>(U(0, 255));
    e.ip_id = v6 ? 0 : static_cast<uint16_t>(U(0, 65535));
    if (!v6 && Chance(0.5)) e.ip_flags = ipf::kDf;
    static constexpr Action kActions[] = {Action::kDrop,  Action::kDrop,  Action::kReject,
                                          Action::kAllow, Action::kAlert, Action::kUnknown};
    e.action = kActions[U(0, 5)];
    e.sport = static_cast<uint16_t>(U(0, 65535));
    e.dport = static_cast<uint16_t>(U(0, 65535));
    e.seq = static_cast<uint32_t>(rng_());
    e.ip_len = static_cast<uint16_t>(U(0, 1500));
    switch (U(0, 9)) {
      case 0:
      case 1:
        e.proto = kProtoTcp;
        e.tcp_flags = tcp::kSyn;
        e.window = static_cast<uint16_t>(U(0, 65535));
        break;
      case 2:
        e.proto = kProtoTcp;
        e.tcp_flags = static_cast<uint8_t>(U(0, 255));  // ECE, CWR, SYN-ACK, RST, none, ...
        e.window = static_cast<uint16_t>(U(0, 65535));
        break;
      case 3:
      case 4:
        e.proto = kProtoUdp;
        break;
      case 5:
        e.proto = v6 ? kProtoIpv6Icmp : kProtoIcmp;
        e.sport = static_cast<uint16_t>(Chance(0.5) ? (v6 ? 128 : 8) : U(0, 255));
        e.dport = static_cast<uint16_t>(U(0, 15));
        break;
      case 6:
        if (!v6) {
          static constexpr uint8_t kP[] = {kProtoTcp, kProtoUdp, kProtoIcmp};
          e.proto = kP[U(0, 2)];
          e.ip_flags = ipf::kFragment | (Chance(0.5) ? ipf::kMf : 0);
          e.tcp_flags = static_cast<uint8_t>(U(0, 255));
          break;
        }
        [[fallthrough]];
      case 7: {
        static constexpr uint8_t kP[] = {47, 2, 50, 51, 41, 103, 136, 132, 200};
        e.proto = kP[U(0, 8)];
        if (e.proto != 132 && e.proto != 136) e.sport = e.dport = 0;
        break;
      }
      default:
        e.proto = kProtoTcp;
        e.tcp_flags = Chance(0.5) ? (tcp::kSyn | tcp::kAck) : (tcp::kRst | tcp::kAck);
        e.window = static_cast<uint16_t>(U(0, 65535));
        break;
    }
    return e;
  }

  std::vector<Event> Many(int n, TimeUs start) {
    std::vector<Event> out;
    TimeUs t = start;
    for (int i = 0; i < n; ++i) {
      t += static_cast<TimeUs>(U(0, 3'000'000));
      out.push_back(Make(t));
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

// ---------------------------------------------------------------------------
// Round trip

// What the parser reads back for a field the writer carries only in part
// (beyond Fields()); checked per format.
void ExpectPartial(LogFormat f, const Event& got, const Event& want, std::string_view line) {
  const bool fragment = (want.ip_flags & ipf::kFragment) != 0;
  const bool syn = want.tcp_flags & tcp::kSyn;
  switch (f) {
    case LogFormat::kPanos:
    case LogFormat::kCheckpoint:
      EXPECT_EQ(got.action, want.action == Action::kReject ? Action::kReject : Action::kDrop)
          << line;
      break;
    case LogFormat::kJuniperSrx:
      EXPECT_EQ(got.action, Action::kDrop) << line;
      break;
    case LogFormat::kSuricataEve:
      EXPECT_EQ(got.action, want.action == Action::kReject ? Action::kReject : Action::kDrop)
          << line;
      // The drop object's six flag booleans; "len" is the IPv4 total length or
      // the IPv6 payload length, which the parser turns back into the total.
      if (want.proto == kProtoTcp && !fragment) {
        EXPECT_EQ(got.tcp_flags, want.tcp_flags & 0x3f) << line;
      }
      if (want.src.is_v4() || want.ip_len >= 40) {
        EXPECT_EQ(got.ip_len, want.ip_len) << line;
      } else {
        EXPECT_EQ(got.ip_len, 40) << line;  // shorter than its own header: not a real IPv6 packet
      }
      break;
    case LogFormat::kZeekConn: {
      // History letters of the originator: SYN, SYN-ACK, ACK, FIN, RST.
      if (want.proto == kProtoTcp && want.action != Action::kAllow) {
        EXPECT_EQ(got.tcp_flags, want.tcp_flags & (tcp::kSyn | tcp::kAck | tcp::kFin | tcp::kRst))
            << line;
      }
      Action a = Action::kUnknown;  // unanswered: the parser's default
      if (want.action == Action::kAllow && (want.proto == kProtoTcp || want.proto == kProtoUdp)) {
        a = Action::kAllow;
      } else if (want.action == Action::kReject && want.proto == kProtoTcp && syn) {
        a = Action::kReject;
      }
      EXPECT_EQ(got.action, a) << line;
      break;
    }
    default:
      break;
  }
}

bool HasHost(LogFormat f) {
  return f == LogFormat::kPanos || f == LogFormat::kJuniperSrx || f == LogFormat::kCheckpoint ||
         f == LogFormat::kSuricataEve;
}

void RoundTrip(const LogStyle& style, uint64_t seed, int n = 3000) {
  SCOPED_TRACE(std::string(LogFormatName(style.format)) +
               (style.header == SyslogHeader::kIso8601 ? "/iso" : "/rfc3164"));
  auto writer = MakeLogWriter(style);
  ASSERT_NE(writer, nullptr);
  Gen gen(seed);
  // Across a year boundary: RFC 3164 headers carry no year.
  std::vector<Event> events = gen.Many(n, Utc(2004, 12, 31, 23, 20, 0));
  std::string text;
  writer->Begin(&text);
  const size_t begin_lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  std::vector<std::string> chunks;
  for (const Event& e : events) {
    size_t before = text.size();
    writer->Write(e, &text);
    std::string_view chunk(text.data() + before, text.size() - before);
    ASSERT_FALSE(chunk.empty()) << "every event is expressible";
    ASSERT_EQ(std::count(chunk.begin(), chunk.end(), '\n'), 1) << chunk;
    ASSERT_EQ(chunk.back(), '\n');
    chunks.emplace_back(chunk);
  }
  std::vector<std::string_view> lines = SplitLines(text);
  ASSERT_EQ(lines.size(), begin_lines + events.size());

  // Found as ingest finds it.
  std::vector<std::string_view> head(lines.begin(),
                                     lines.begin() + std::min<size_t>(lines.size(), 20));
  auto detected = parse::DetectFormat(head);
  ASSERT_TRUE(detected.ok()) << detected.status().ToString();
  EXPECT_EQ((*detected)->name, LogFormatName(style.format));

  parse::ParseOptions options;
  options.year = 2004;
  Parsed parsed;
  CollectSink sink(&parsed);
  auto parser = parse::FindFormat(LogFormatName(style.format))->make(options);
  uint64_t lineno = 0;
  for (std::string_view line : lines) parser->Line(line, ++lineno, sink);
  parser->Finish(sink);
  // The header lines, and nothing else, are "not a record".
  ASSERT_FALSE(sink.hard_rejects()) << parsed.rejects[0];
  ASSERT_EQ(parsed.rejects.size(), begin_lines)
      << (parsed.rejects.empty() ? "" : parsed.rejects[0]);
  for (size_t i = 0; i < parsed.reject_lines.size(); ++i) {
    EXPECT_EQ(parsed.reject_lines[i], i + 1);
  }
  ASSERT_EQ(parsed.events.size(), events.size());

  const TimeUs res = writer->TimeResolution();
  for (size_t k = 0; k < events.size(); ++k) {
    const Event& want = events[k];
    const Event& got = parsed.events[k];
    const std::string& line = chunks[k];
    uint32_t m = writer->Fields(want.proto);
    namespace fl = field;
    if (want.ip_flags & ipf::kFragment) {
      m &= ~(fl::kSport | fl::kDport | fl::kFlags | fl::kSeq | fl::kWindow);
    }
    auto expect = [&](uint32_t bit, std::string_view name, auto got_v, auto want_v) {
      if (m & bit) {
        EXPECT_EQ(got_v, want_v) << name << " of: " << line;
      }
    };
    expect(fl::kTime, "time", got.time, want.time - want.time % res);
    expect(fl::kSrc, "src", got.src, want.src);
    expect(fl::kDst, "dst", got.dst, want.dst);
    expect(fl::kSport, "sport", got.sport, want.sport);
    expect(fl::kDport, "dport", got.dport, want.dport);
    expect(fl::kProto, "proto", got.proto, want.proto);
    expect(fl::kFlags, "tcp_flags", got.tcp_flags, want.tcp_flags);
    expect(fl::kCount, "count", got.count, want.count);
    expect(fl::kTtl, "ttl", got.ttl, want.ttl);
    expect(fl::kIpLen, "ip_len", got.ip_len, want.ip_len);
    expect(fl::kIpId, "ip_id", got.ip_id, want.ip_id);
    expect(fl::kSeq, "seq", got.seq, want.seq);
    expect(fl::kWindow, "window", got.window, want.window);
    expect(fl::kAction, "action", got.action, want.action);
    // Nothing the writer does not claim is in the bits it leaves out.
    EXPECT_EQ(m & (fl::kIpFlags | fl::kMss | fl::kWscale | fl::kTcpOpts | fl::kPayloadLen), 0u);
    ExpectPartial(style.format, got, want, line);
    EXPECT_EQ(parsed.hosts[k], HasHost(style.format) ? style.host : "") << line;
    EXPECT_EQ(got.line, begin_lines + k + 1) << line;
    if (::testing::Test::HasFailure()) break;
  }
  EXPECT_EQ(res, res == 1 ? 1 : kUsPerSecond);
}

constexpr LogFormat kFormats[] = {LogFormat::kPanos,      LogFormat::kJuniperSrx,
                                  LogFormat::kCheckpoint, LogFormat::kSuricataEve,
                                  LogFormat::kZeekConn,   LogFormat::kCsv};

TEST(FwWriterRoundTrip, EveryFormatBothHeaders) {
  uint64_t seed = 100;
  for (LogFormat f : kFormats) {
    for (SyslogHeader h : {SyslogHeader::kRfc3164, SyslogHeader::kIso8601}) {
      RoundTrip(Style(f, h, f == LogFormat::kSuricataEve ? "ids-1" : "s07-border"), seed++);
      // A style without a host: lines that name none (RFC 5424 "-").
      LogStyle s = Style(f, h, "");
      s.iface = "ppp0";
      RoundTrip(s, seed++, 500);
    }
  }
}

TEST(FwWriterRoundTrip, TimeResolutionFollowsTheForm) {
  auto res = [](LogFormat f, SyslogHeader h) {
    return MakeLogWriter(Style(f, h))->TimeResolution();
  };
  for (SyslogHeader h : {SyslogHeader::kRfc3164, SyslogHeader::kIso8601}) {
    const bool iso = h == SyslogHeader::kIso8601;
    EXPECT_EQ(res(LogFormat::kPanos, h), kUsPerSecond);  // PAN-OS times are whole seconds
    EXPECT_EQ(res(LogFormat::kCheckpoint, h), kUsPerSecond);
    EXPECT_EQ(res(LogFormat::kSuricataEve, h), 1);
    EXPECT_EQ(res(LogFormat::kZeekConn, h), 1);
    EXPECT_EQ(res(LogFormat::kJuniperSrx, h), iso ? 1 : kUsPerSecond);
    EXPECT_EQ(res(LogFormat::kCsv, h), iso ? 1 : kUsPerSecond);
  }
}

// A darknet's Zeek says nothing about verdicts; with --default-action drop
// its unanswered attempts are drops.
TEST(FwWriterRoundTrip, ZeekUnansweredTakeTheDefaultAction) {
  Event e = Probe();
  e.action = Action::kUnknown;
  Event rej = e;
  rej.action = Action::kReject;
  std::string text = WriteFile(Style(LogFormat::kZeekConn), {e, rej});
  parse::ParseOptions options;
  options.default_action = Action::kDrop;
  Parsed parsed;
  CollectSink sink(&parsed);
  auto parser = parse::FindFormat("zeek_conn")->make(options);
  uint64_t n = 0;
  for (std::string_view line : SplitLines(text)) parser->Line(line, ++n, sink);
  ASSERT_EQ(parsed.events.size(), 2u);
  EXPECT_EQ(parsed.events[0].action, Action::kDrop);
  EXPECT_EQ(parsed.events[1].action, Action::kReject);
}

// Hosts with characters that need escaping still read back.
TEST(FwWriterRoundTrip, HostsAreEscaped) {
  Event e = Probe();
  for (LogFormat f : {LogFormat::kSuricataEve, LogFormat::kCheckpoint}) {
    const std::string host = "ids \"7\"\\a]";
    std::string text = WriteFile(Style(f, SyslogHeader::kRfc3164, host), {e});
    Parsed parsed;
    CollectSink sink(&parsed);
    auto parser = parse::FindFormat(LogFormatName(f))->make(parse::ParseOptions{});
    parser->Line(SplitLines(text).back(), 1, sink);
    ASSERT_EQ(parsed.events.size(), 1u) << text;
    if (f == LogFormat::kSuricataEve) {
      EXPECT_EQ(parsed.hosts[0], host) << text;
    } else {
      // Check Point values keep their backslash escapes (the parser does not unescape).
      EXPECT_EQ(parsed.hosts[0], "ids \\\"7\\\"\\\\a\\]") << text;
    }
  }
  LogStyle s = Style(LogFormat::kSuricataEve, SyslogHeader::kRfc3164, "a\tb\x01");
  s.iface = "eth\"0";
  std::string text = WriteFile(s, {e});
  EXPECT_NE(text.find(",\"in_iface\":\"eth\\\"0\","), std::string::npos) << text;
  EXPECT_NE(text.find(",\"host\":\"a\\tb\\u0001\"}\n"), std::string::npos) << text;
}

// ---------------------------------------------------------------------------
// Golden lines

TEST(FwWriterGolden, PanosBsdAndIetf) {
  Event e = Probe();
  std::string line = WriteFile(Style(LogFormat::kPanos, SyslogHeader::kRfc3164, "pa-fw1"), {e});
  EXPECT_EQ(line,
            "Jan 11 01:42:23 pa-fw1 1,2005/01/11 01:42:23,007947650723,TRAFFIC,deny,2561,"
            "2005/01/11 01:42:22,192.0.2.1,198.51.100.2,0.0.0.0,0.0.0.0,interzone-default,,,"
            "not-applicable,vsys1,untrust,trust,ethernet1/1,,fwd-all,2005/01/11 01:42:22,510272,1,"
            "4117,5000,0,0,0x0,tcp,deny,60,60,0,1,2005/01/11 01:42:22,0,any,,1002565209663,0x0,"
            "RU,UA,,1,0,policy-deny,0,0,0,0,,pa-fw1,from-policy,,,0,,0,,N/A,0,0,0,0\n");
  e.action = Action::kReject;
  e.src = Addr("10.1.2.3");
  e.time = Utc(2005, 1, 11, 23, 59, 59, 999999);  // received the next day
  line = WriteFile(Style(LogFormat::kPanos, SyslogHeader::kIso8601, "pa-fw1"), {e});
  EXPECT_TRUE(
      line.starts_with("<14>1 2005-01-12T00:00:00+00:00 pa-fw1 - - - - 1,2005/01/12 "
                       "00:00:00,"))
      << line;
  EXPECT_NE(line.find(",TRAFFIC,deny,2561,2005/01/11 23:59:59,10.1.2.3,198.51.100.2,0.0.0.0,"
                      "0.0.0.0,reject-inbound,"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(",4117,5000,0,0,0x0,tcp,reset-both,60,60,0,1,2005/01/11 23:59:59,0,any,,"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(",10.0.0.0-10.255.255.255,"), std::string::npos) << line;

  // ICMP: PAN-OS logs no type or code; IPv6 NAT addresses are "::".
  line = WriteFile(Style(LogFormat::kPanos), {Icmp6Echo()});
  EXPECT_NE(line.find(",2001:db8::7,2001:db8:0:1::20,::,::,interzone-default,"), std::string::npos)
      << line;
  EXPECT_NE(line.find(",0,0,0,0,0x0,ipv6-icmp,deny,104,104,0,1,"), std::string::npos) << line;
}

TEST(FwWriterGolden, JuniperSrxPlainAndStructured) {
  Event e = Probe();
  EXPECT_EQ(WriteFile(Style(LogFormat::kJuniperSrx, SyslogHeader::kRfc3164, "srx1"), {e}),
            "Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied "
            "192.0.2.1/4117->198.51.100.2/5000 0x0 None 6(0) default-deny untrust trust UNKNOWN "
            "UNKNOWN N/A(N/A) ge-0/0/0.0 No policy deny\n");
  EXPECT_EQ(WriteFile(Style(LogFormat::kJuniperSrx, SyslogHeader::kIso8601, "srx1"), {e}),
            "<14>1 2005-01-11T01:42:22.250123Z srx1 RT_FLOW - RT_FLOW_SESSION_DENY "
            "[junos@2636.1.1.1.2.40 source-address=\"192.0.2.1\" source-port=\"4117\" "
            "destination-address=\"198.51.100.2\" destination-port=\"5000\" connection-tag=\"0\" "
            "service-name=\"None\" protocol-id=\"6\" icmp-type=\"0\" policy-name=\"default-deny\" "
            "source-zone-name=\"untrust\" destination-zone-name=\"trust\" application=\"UNKNOWN\" "
            "nested-application=\"UNKNOWN\" username=\"N/A\" roles=\"N/A\" "
            "packet-incoming-interface=\"ge-0/0/0.0\" encrypted=\"No\" reason=\"policy deny\"]\n");
  EXPECT_EQ(WriteFile(Style(LogFormat::kJuniperSrx, SyslogHeader::kRfc3164, "srx1"), {Icmp6Echo()}),
            "Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied "
            "2001:db8::7/128->2001:db8:0:1::20/0 0x0 None 58(128) default-deny untrust trust "
            "UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 No policy deny\n");
}

TEST(FwWriterGolden, Checkpoint) {
  Event e = Probe();
  // time 1105407742 = 0x41e32efe = 2005-01-11T01:42:22Z; the pid, flags,
  // loguid's middle words, SIC suffix and sequence number are hashed.
  std::string line = WriteFile(Style(LogFormat::kCheckpoint, SyslogHeader::kRfc3164, "gw"), {e});
  EXPECT_EQ(line,
            "<134>1 2005-01-11T01:42:22Z gw CheckPoint 16815 - [action:\"Drop\"; flags:\"412227\"; "
            "ifdir:\"inbound\"; ifname:\"eth0\"; logid:\"0\"; "
            "loguid:\"{0x41e32efe,0xc92,0xc6bf4cd7,0xc0000000}\"; origin:\"gw\"; "
            "originsicname:\"CN=gw,O=gw..bfb85j\"; sequencenum:\"64\"; time:\"1105407742\"; "
            "version:\"5\"; dst:\"198.51.100.2\"; inzone:\"External\"; layer_name:\"Network\"; "
            "rule_action:\"Drop\"; rule_name:\"Cleanup rule\"; outzone:\"Internal\"; "
            "product:\"VPN-1 & FireWall-1\"; proto:\"6\"; s_port:\"4117\"; service:\"5000\"; "
            "service_id:\"tcp-5000\"; src:\"192.0.2.1\"]\n");

  e = Icmp6Echo();
  e.action = Action::kReject;
  line = WriteFile(Style(LogFormat::kCheckpoint), {e});
  EXPECT_NE(line.find(" - [action:\"Reject\"; "), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with(
      "\"; version:\"5\"; dst:\"2001:db8:0:1::20\"; icmp_code:\"0\"; icmp_type:\"128\"; "
      "inzone:\"External\"; layer_name:\"Network\"; rule_action:\"Reject\"; rule_name:\"Cleanup "
      "rule\"; outzone:\"Internal\"; product:\"VPN-1 & FireWall-1\"; proto:\"58\"; "
      "service_id:\"echo-request6\"; src:\"2001:db8::7\"]\n"))
      << line;
}

TEST(FwWriterGolden, SuricataEveDrop) {
  Event e = Probe();
  std::string line =
      WriteFile(Style(LogFormat::kSuricataEve, SyslogHeader::kRfc3164, "ids-1"), {e});
  const std::string_view head = "{\"timestamp\":\"2005-01-11T01:42:22.250123+0000\",\"flow_id\":";
  ASSERT_TRUE(line.starts_with(head)) << line;
  EXPECT_TRUE(line.ends_with(
      ",\"in_iface\":\"eth0\",\"event_type\":\"drop\",\"src_ip\":\"192.0.2.1\",\"src_port\":4117,"
      "\"dest_ip\":\"198.51.100.2\",\"dest_port\":5000,\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\","
      "\"direction\":\"to_server\",\"drop\":{\"len\":60,\"tos\":0,\"ttl\":52,\"ipid\":4711,"
      "\"tcpseq\":1296947564,\"tcpack\":0,\"tcpwin\":65535,\"syn\":true,\"ack\":false,"
      "\"psh\":false,\"rst\":false,\"urg\":false,\"fin\":false,\"tcpres\":0,\"tcpurgp\":0,"
      "\"reason\":\"rules\"},\"verdict\":{\"action\":\"drop\"},\"host\":\"ids-1\"}\n"))
      << line;
  std::string id = line.substr(head.size(), line.find(',', head.size()) - head.size());
  EXPECT_LE(id.size(), 16u) << id;  // 51 bits

  // ICMPv6: type and code after proto; the drop object has no ICMPv6 ids.
  // A reject names its RST or ICMP answer.
  Event icmp = Icmp6Echo();
  icmp.action = Action::kReject;
  line = WriteFile(Style(LogFormat::kSuricataEve, SyslogHeader::kRfc3164, "ids-1"), {icmp});
  EXPECT_NE(line.find(",\"src_ip\":\"2001:db8::7\",\"src_port\":0,\"dest_ip\":\"2001:db8:0:1::20\","
                      "\"dest_port\":0,\"proto\":\"IPv6-ICMP\",\"icmp_type\":128,\"icmp_code\":0,"
                      "\"pkt_src\":\"wire/pcap\",\"direction\":\"to_server\",\"drop\":{\"len\":64,"
                      "\"tc\":0,\"hoplimit\":57,\"flowlbl\":"),
            std::string::npos)
      << line;
  EXPECT_TRUE(
      line.ends_with(",\"reason\":\"rules\"},\"verdict\":{\"action\":\"drop\","
                     "\"reject-target\":\"to_client\",\"reject\":[\"icmp-prohib\"]},"
                     "\"host\":\"ids-1\"}\n"))
      << line;

  // UDP, ICMP echo ids, a fragment without its transport header.
  Event udp = Probe();
  udp.proto = kProtoUdp;
  Event echo = Probe();
  echo.proto = kProtoIcmp;
  echo.sport = 8;
  echo.dport = 0;
  echo.seq = (51318u << 16) | 10;
  echo.ip_len = 84;
  Event frag = Probe();
  frag.ip_flags = ipf::kFragment | ipf::kMf;
  std::string text = WriteFile(Style(LogFormat::kSuricataEve), {udp, echo, frag});
  std::vector<std::string_view> lines = SplitLines(text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[0].find("\"proto\":\"UDP\",\"pkt_src\":\"wire/pcap\",\"direction\":\"to_server\","
                          "\"drop\":{\"len\":60,\"tos\":0,\"ttl\":52,\"ipid\":4711,\"udplen\":40,"
                          "\"reason\":\"rules\"}"),
            std::string_view::npos)
      << lines[0];
  EXPECT_NE(lines[1].find("\"src_port\":0,\"dest_ip\":\"198.51.100.2\",\"dest_port\":0,\"proto\":"
                          "\"ICMP\",\"icmp_type\":8,\"icmp_code\":0,\"pkt_src\":\"wire/pcap\","
                          "\"direction\":\"to_server\",\"drop\":{\"len\":84,\"tos\":0,\"ttl\":52,"
                          "\"ipid\":4711,\"icmp_id\":51318,\"icmp_seq\":10,\"reason\":\"rules\"}"),
            std::string_view::npos)
      << lines[1];
  EXPECT_NE(lines[2].find("\"src_port\":0,\"dest_ip\":\"198.51.100.2\",\"dest_port\":0,"
                          "\"proto\":\"TCP\",\"pkt_src\":\"wire/pcap\",\"direction\":\"to_server\","
                          "\"drop\":{\"len\":60,\"tos\":0,\"ttl\":52,\"ipid\":4711,"
                          "\"reason\":\"rules\"}"),
            std::string_view::npos)
      << lines[2];
}

TEST(FwWriterGolden, ZeekConn) {
  const LogStyle s = Style(LogFormat::kZeekConn);
  EXPECT_EQ(BeginText(s),
            "#separator \\x09\n"
            "#set_separator\t,\n"
            "#empty_field\t(empty)\n"
            "#unset_field\t-\n"
            "#path\tconn\n"
            "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
            "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\t"
            "history\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\t"
            "ip_proto\n"
            "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
            "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\tcount\n");
  Event syn = Probe();
  Event rej = syn;
  rej.action = Action::kReject;
  Event synack = syn;
  synack.tcp_flags = tcp::kSyn | tcp::kAck;
  Event gre = syn;
  gre.proto = 47;
  std::string text = WriteFile(s, {syn, rej, synack, Icmp6Echo(), gre});
  std::vector<std::string_view> lines = SplitLines(text);
  ASSERT_EQ(lines.size(), 12u);
  // Every row: 22 columns; the uid is C + 17 base62 digits.
  for (size_t i = 7; i < lines.size(); ++i) {
    EXPECT_EQ(std::count(lines[i].begin(), lines[i].end(), '\t'), 21) << lines[i];
    std::string_view uid = lines[i].substr(18, 18);
    EXPECT_EQ(uid[0], 'C') << lines[i];
    EXPECT_EQ(lines[i][36], '\t') << lines[i];
  }
  auto without_uid = [](std::string_view l) {
    return std::string(l.substr(0, 18)) + "<uid>" + std::string(l.substr(36));
  };
  EXPECT_EQ(
      without_uid(lines[7]),
      "1105407742.250123\t<uid>\t192.0.2.1\t4117\t198.51.100.2\t5000\ttcp\t-\t-\t-\t-\tS0\tF\t"
      "T\t0\tS\t1\t60\t0\t0\t-\t6");
  std::string rej_row = without_uid(lines[8]);
  EXPECT_TRUE(
      rej_row.starts_with("1105407742.250123\t<uid>\t192.0.2.1\t4117\t198.51.100.2\t5000\t"
                          "tcp\t-\t0.0"))
      << rej_row;
  EXPECT_TRUE(rej_row.ends_with("\t0\t0\tREJ\tF\tT\t0\tSr\t1\t60\t1\t40\t-\t6")) << rej_row;
  EXPECT_EQ(without_uid(lines[9]),
            "1105407742.250123\t<uid>\t192.0.2.1\t4117\t198.51.100.2\t5000\ttcp\t-\t-\t-\t-\tOTH\t"
            "F\tT\t0\tH\t1\t60\t0\t0\t-\t6");
  EXPECT_EQ(without_uid(lines[10]),
            "1105407742.250123\t<uid>\t2001:db8::7\t128\t2001:db8:0:1::20\t0\ticmp\t-\t-\t-\t-\t"
            "OTH\tF\tT\t0\t-\t1\t104\t0\t0\t-\t58");
  EXPECT_EQ(without_uid(lines[11]),
            "1105407742.250123\t<uid>\t192.0.2.1\t0\t198.51.100.2\t0\tunknown_transport\t-\t-\t-\t"
            "-\tOTH\tF\tT\t0\t-\t1\t60\t0\t0\t-\t47");
}

TEST(FwWriterGolden, Csv) {
  Event e = Probe();
  Event icmp = Icmp6Echo();
  icmp.action = Action::kUnknown;
  icmp.count = 3;
  Event gre = Probe();
  gre.proto = 47;
  gre.sport = gre.dport = 0;
  gre.action = Action::kAllow;
  e.tcp_flags = tcp::kSyn | tcp::kEce | tcp::kCwr;
  EXPECT_EQ(WriteFile(Style(LogFormat::kCsv), {e, icmp, gre}),
            "timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,count,ttl,flags\n"
            "2005-01-11 01:42:22,192.0.2.1,4117,198.51.100.2,5000,tcp,drop,1,52,SEC\n"
            "2005-01-11 01:42:22,2001:db8::7,128,2001:db8:0:1::20,0,icmpv6,,3,57,\n"
            "2005-01-11 01:42:22,192.0.2.1,0,198.51.100.2,0,gre,allow,1,52,\n");
  e.action = Action::kReject;
  EXPECT_EQ(WriteFile(Style(LogFormat::kCsv, SyslogHeader::kIso8601), {e}),
            "timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action,count,ttl,flags\n"
            "2005-01-11T01:42:22.250123Z,192.0.2.1,4117,198.51.100.2,5000,tcp,reject,1,52,SEC\n");
}

// Writers append to what the buffer holds and depend on nothing but the event.
TEST(FwWriter, DeterministicAndAppending) {
  Gen gen(9);
  std::vector<Event> events = gen.Many(200, Utc(2024, 3, 2, 15, 0, 0));
  for (LogFormat f : kFormats) {
    auto a = MakeLogWriter(Style(f)), b = MakeLogWriter(Style(f));
    std::string all, one;
    for (const Event& e : events) a->Write(e, &all);
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      std::string line = "x";
      b->Write(*it, &line);
      ASSERT_EQ(line[0], 'x');
      one.insert(0, line.substr(1));
    }
    EXPECT_EQ(all, one) << LogFormatName(f);
  }
}

}  // namespace
}  // namespace portstorm::sim
