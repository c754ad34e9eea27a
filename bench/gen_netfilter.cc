// gen_netfilter: writes a large, deterministic iptables LOG file (RFC 3164
// syslog header) for the ingest and report benchmarks.
//
//   gen_netfilter --lines 10000000 --start 2005-01-11 --days 1 --seed 7 > file.log
//
// The shape follows what blocked traffic looks like: a heavy-tailed (Zipf)
// source population, ports drawn Zipf-like from commonly scanned ports plus
// a uniform tail of high ports, targets in four /24s, 80% TCP SYN, 15% UDP,
// 5% ICMP echo. Each source has a stack that shapes its packets, as in the
// seeds: Windows hosts (45%) count IP IDs up per packet (seed 004: 31988,
// 32007, 32053) and take source ports in turn from 1025-5000 (seed 002);
// Linux hosts (25%) use random IP IDs and ports in 32768-60999; scanners
// (20%) keep one source port, nmap-like with window 1024 and MSS only,
// ZMap-like with IP ID 54321; the rest (10%) are random in every field.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/time.h"

namespace {

struct Zipf {
  // Inverse-CDF sampling over a precomputed table; s ~ 1.1 as scanner populations.
  std::vector<double> cdf;
  Zipf(size_t n, double s) : cdf(n) {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) cdf[i] = (sum += 1.0 / std::pow(static_cast<double>(i + 1), s));
    for (double& c : cdf) c /= sum;
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    size_t lo = 0, hi = cdf.size() - 1;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (cdf[mid] < u) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
};

char* PutU(char* p, uint64_t v) {
  char tmp[24];
  int n = 0;
  do { tmp[n++] = static_cast<char>('0' + v % 10); v /= 10; } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}
char* Put2(char* p, int v) { *p++ = static_cast<char>('0' + v / 10); *p++ = static_cast<char>('0' + v % 10); return p; }
char* PutS(char* p, const char* s) { size_t n = std::strlen(s); std::memcpy(p, s, n); return p + n; }
char* PutIp(char* p, uint32_t a) {
  p = PutU(p, a >> 24); *p++ = '.'; p = PutU(p, (a >> 16) & 255); *p++ = '.';
  p = PutU(p, (a >> 8) & 255); *p++ = '.'; return PutU(p, a & 255);
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t lines = 5'000'000;
  std::string start = "2005-01-11";
  int days = 1;
  uint64_t seed = 7;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--lines") lines = std::strtoull(argv[i + 1], nullptr, 10);
    else if (k == "--start") start = argv[i + 1];
    else if (k == "--days") days = std::atoi(argv[i + 1]);
    else if (k == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
    else { std::fprintf(stderr, "unknown option %s\n", k.c_str()); return 2; }
  }
  auto day0 = portstorm::ParseDay(start);
  if (!day0.ok() || days < 1) { std::fprintf(stderr, "bad --start/--days\n"); return 2; }

  std::mt19937_64 rng(seed);
  static const uint16_t kPorts[] = {445, 135, 139, 80, 1433, 22, 1026, 23, 3389, 4899, 137, 5000,
                                    1027, 8080, 25, 21, 443, 3128, 6346, 1434, 1025, 5900, 3306,
                                    2967, 6129, 3127, 1080, 10000, 17300, 9898, 1028, 1029, 1030,
                                    1031, 42, 53, 110, 111, 143, 161, 3771, 4444, 6667, 8000, 8888};
  constexpr size_t kNumPorts = sizeof(kPorts) / sizeof(kPorts[0]);
  Zipf port_zipf(kNumPorts + 1, 1.05);
  constexpr size_t kSources = 400'000;
  Zipf src_zipf(kSources, 1.1);
  std::vector<uint32_t> sources(kSources);
  for (auto& s : sources) {
    do { s = static_cast<uint32_t>(rng()); } while ((s >> 24) == 0 || (s >> 24) >= 224 || (s >> 24) == 10 || (s >> 24) == 127);
  }
  const uint32_t nets[4] = {0xC6336400u, 0xC6336500u, 0xCB007100u, 0xC0000200u};  // doc ranges
  enum Kind : uint8_t { kWindows, kLinux, kNmap, kZmap, kRandom };
  struct Stack { Kind kind; int ttl; int window; const char* opt; };
  static const Stack kStacks[] = {
      {kWindows, 128, 65535, "020405B401010402"}, {kWindows, 128, 16384, "020405B401010402"},
      {kLinux, 64, 5840, "020405B40402080A00825F5D0000000001030307"},
      {kNmap, 64, 1024, "020405B4"}, {kZmap, 255, 65535, ""}, {kRandom, 64, 8192, ""}};
  // Per-source state: stack, hop count, IP ID counter, next source port.
  struct Host { uint8_t stack; uint8_t hops; uint16_t ipid; uint16_t sport; };
  std::vector<Host> hosts(kSources);
  for (auto& h : hosts) {
    uint64_t r = rng() % 100;
    h.stack = r < 30 ? 0 : r < 45 ? 1 : r < 70 ? 2 : r < 82 ? 3 : r < 90 ? 4 : 5;
    h.hops = static_cast<uint8_t>(8 + rng() % 18);
    h.ipid = static_cast<uint16_t>(rng());
    h.sport = static_cast<uint16_t>(1025 + rng() % 3976);
    if (kStacks[h.stack].kind == kNmap || kStacks[h.stack].kind == kZmap) {
      h.sport = static_cast<uint16_t>(32768 + rng() % 28000);
    }
  }
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

  std::vector<char> buf(1 << 22);
  char* p = buf.data();
  const double span_s = 86400.0 * days;
  for (uint64_t i = 0; i < lines; ++i) {
    double t = span_s * static_cast<double>(i) / static_cast<double>(lines);
    int64_t secs = static_cast<int64_t>(t);
    int64_t day = *day0 + secs / 86400;
    int y, mo, d;
    portstorm::CivilFromDays(day, &y, &mo, &d);
    int sod = static_cast<int>(secs % 86400);
    p = PutS(p, kMonths[mo - 1]); *p++ = ' ';
    if (d < 10) *p++ = ' ';
    p = PutU(p, static_cast<uint64_t>(d)); *p++ = ' ';
    p = Put2(p, sod / 3600); *p++ = ':'; p = Put2(p, sod / 60 % 60); *p++ = ':'; p = Put2(p, sod % 60);
    p = PutS(p, " gw kernel: [");
    p = PutU(p, static_cast<uint64_t>(secs) + 1000); *p++ = '.';
    uint64_t us = static_cast<uint64_t>((t - static_cast<double>(secs)) * 1e6);
    for (uint64_t div = 100000; div; div /= 10) *p++ = static_cast<char>('0' + us / div % 10);
    p = PutS(p, "] DROP IN=eth0 OUT= MAC=00:0c:29:4f:8e:35:00:50:56:c0:00:08:08:00 SRC=");
    size_t si = src_zipf(rng);
    uint32_t src = sources[si];
    Host& host = hosts[si];
    const Stack& st = kStacks[host.stack];
    p = PutIp(p, src);
    p = PutS(p, " DST=");
    p = PutIp(p, nets[rng() % 4] | static_cast<uint32_t>(rng() % 254 + 1));
    uint64_t r = rng();
    int proto_pick = static_cast<int>(r % 100);
    size_t pi = port_zipf(rng);
    unsigned dport = pi < kNumPorts ? kPorts[pi] : static_cast<unsigned>(1024 + (r >> 8) % 64000);
    unsigned sport;
    uint64_t ipid;
    switch (st.kind) {
      case kWindows:
        host.ipid = static_cast<uint16_t>(host.ipid + 1 + (r >> 50) % 24);
        ipid = host.ipid;
        host.sport = static_cast<uint16_t>(host.sport >= 5000 ? 1025 : host.sport + 1);
        sport = host.sport;
        break;
      case kLinux:
        ipid = (r >> 40) & 0xffff;
        sport = 32768 + static_cast<unsigned>((r >> 24) % 28232);
        break;
      case kNmap:
        ipid = (r >> 40) & 0xffff;
        sport = host.sport;
        break;
      case kZmap:
        ipid = 54321;
        sport = host.sport;
        break;
      default:
        ipid = (r >> 40) & 0xffff;
        sport = 1025 + static_cast<unsigned>((r >> 24) % 60000);
    }
    const uint64_t ttl = static_cast<uint64_t>(st.ttl - host.hops);
    if (proto_pick < 80) {
      p = PutS(p, " LEN=48 TOS=0x00 PREC=0x00 TTL="); p = PutU(p, ttl);
      p = PutS(p, " ID="); p = PutU(p, ipid);
      p = PutS(p, " DF PROTO=TCP SPT="); p = PutU(p, sport);
      p = PutS(p, " DPT="); p = PutU(p, dport);
      p = PutS(p, " WINDOW="); p = PutU(p, static_cast<uint64_t>(st.window));
      p = PutS(p, " RES=0x00 SYN URGP=0");
      if (*st.opt) { p = PutS(p, " OPT ("); p = PutS(p, st.opt); *p++ = ')'; }
    } else if (proto_pick < 95) {
      p = PutS(p, " LEN=30 TOS=0x00 PREC=0x00 TTL="); p = PutU(p, ttl);
      p = PutS(p, " ID="); p = PutU(p, ipid);
      p = PutS(p, " PROTO=UDP SPT="); p = PutU(p, sport);
      p = PutS(p, " DPT="); p = PutU(p, dport < 1024 ? 137u : dport);
      p = PutS(p, " LEN=10");
    } else {
      p = PutS(p, " LEN=84 TOS=0x00 PREC=0x00 TTL="); p = PutU(p, ttl);
      p = PutS(p, " ID="); p = PutU(p, ipid);
      p = PutS(p, " PROTO=ICMP TYPE=8 CODE=0 ID="); p = PutU(p, (r >> 8) & 0xffff);
      p = PutS(p, " SEQ="); p = PutU(p, (r >> 28) & 0xff);
    }
    *p++ = '\n';
    if (p - buf.data() > static_cast<std::ptrdiff_t>(buf.size() - 1024)) {
      std::fwrite(buf.data(), 1, static_cast<size_t>(p - buf.data()), stdout);
      p = buf.data();
    }
  }
  std::fwrite(buf.data(), 1, static_cast<size_t>(p - buf.data()), stdout);
  return 0;
}
