// The simulator's catalog: scanned ports per era, OS/tool stacks, stack mix.
// Where every number comes from, and which ones are estimates, is written in
// docs/simulator.md ("Sources of the numbers"); the comments here only say
// which source a row leans on.
#include "sim/catalog.h"

#include <initializer_list>
#include <iterator>

#include "core/event.h"

namespace portstorm::sim {
namespace {

// Option layout in Event::tcp_opts form: the first option in the lowest
// nibble, as AppendTcpOpt builds it (constexpr twin of it for the tables).
constexpr uint32_t Layout(std::initializer_list<TcpOpt> opts) {
  uint32_t layout = 0;
  int i = 0;
  for (TcpOpt o : opts) layout |= uint32_t{static_cast<uint8_t>(o)} << (4 * i++);
  return layout;
}

constexpr TcpOpt M = TcpOpt::kMss, N = TcpOpt::kNop, W = TcpOpt::kWscale, S = TcpOpt::kSackOk,
                 T = TcpOpt::kTimestamp;

constexpr uint8_t kTcp = kProtoTcp, kUdp = kProtoUdp;

// 2003-2009: the Windows worm years. Ranks follow the DShield/ISC "top 10
// ports" of 2003-2005 and the telescope studies of the time (Pang et al. 2004,
// Novak 2008); the shares are a Zipf-like fit (head ~14 %, top ten ~55 % of the
// listed weight, a long tail). 1026-1031, 5000, 6346 and 3771 sit at their quiet
// background levels: the seed scenarios add their surges on top.
constexpr PortWeight kPorts2003[] = {
    {kTcp, 445, 14.0},    // SMB: Sasser, Deloder, Agobot/Phatbot spreaders
    {kTcp, 135, 12.0},    // DCOM RPC: Blaster, Welchia
    {kUdp, 1434, 7.0},    // MS-SQL resolution: Slammer, never went away
    {kTcp, 139, 6.0},     // NetBIOS session
    {kUdp, 137, 5.0},     // NetBIOS name
    {kTcp, 80, 4.0},      // Code Red / Nimda remnants, WebDAV
    {kTcp, 1025, 2.6},    // RPC on the first dynamic port
    {kTcp, 3127, 2.3},    // MyDoom backdoor
    {kTcp, 4899, 2.0},    // Radmin
    {kTcp, 6129, 1.8},    // DameWare
    {kTcp, 1433, 1.7},    // MS-SQL
    {kTcp, 2745, 1.4},    // Bagle backdoor
    {kTcp, 5554, 1.2},    // Sasser FTP server
    {kTcp, 9898, 1.0},    // Dabber / Sasser backdoor
    {kTcp, 3410, 0.9},    // OptixPro backdoor
    {kTcp, 17300, 0.8},   // Kuang2 backdoor
    {kTcp, 1023, 0.75},   // Sasser variants' FTP server
    {kTcp, 3128, 0.7},    // open proxies (Squid)
    {kTcp, 8080, 0.65},   // open proxies
    {kTcp, 1080, 0.6},    // SOCKS, MyDoom.B
    {kTcp, 27374, 0.55},  // SubSeven
    {kTcp, 22, 0.5},
    {kTcp, 21, 0.48},
    {kTcp, 25, 0.45},
    {kTcp, 3389, 0.4},
    {kUdp, 1026, 0.4},    // Messenger pop-up spam, quiet level (seeds 001/003 surge)
    {kUdp, 1027, 0.3},
    {kUdp, 135, 0.3},     // Messenger via the endpoint mapper
    {kTcp, 2967, 0.28},   // Symantec AV (2006-2007)
    {kTcp, 1026, 0.27},
    {kTcp, 5000, 0.26},   // UPnP / Kibuv, quiet level (seed 002 surges)
    {kTcp, 6346, 0.25},   // Gnutella stale peers, quiet level (seed 004 adds more)
    {kTcp, 4662, 0.24},   // eDonkey
    {kTcp, 6667, 0.22},   // IRC
    {kTcp, 5900, 0.21},   // VNC
    {kUdp, 53, 0.2},
    {kTcp, 443, 0.19},
    {kTcp, 1027, 0.18},
    {kTcp, 3306, 0.17},
    {kTcp, 23, 0.16},
    {kTcp, 10000, 0.15},  // Webmin, Veritas Backup Exec (2005)
    {kTcp, 42, 0.14},     // WINS (2004-2005)
    {kUdp, 1028, 0.13},
    {kUdp, 1029, 0.11},
    {kUdp, 1030, 0.1},
    {kUdp, 1031, 0.09},
    {kTcp, 1028, 0.09},
    {kTcp, 1029, 0.08},
    {kTcp, 1030, 0.07},
    {kTcp, 1031, 0.06},
    {kTcp, 3771, 0.02},   // "lost in the noise because the hits were so rare" (seed 000)
};

// The 2020s: IoT botnets and cloud scanners. Ranks follow telescope and
// honeypot reports (Mirai-era telescope studies, ISC/DShield port reports,
// GreyNoise tags, Anand et al. 2023); shares are a Zipf-like estimate with
// tcp/23 at the head. Mirai's own split is 9:1 between 23 and 2323.
constexpr PortWeight kPortsToday[] = {
    {kTcp, 23, 16.0},     // telnet: Mirai and its descendants
    {kTcp, 22, 9.0},      // SSH brute force
    {kTcp, 445, 7.0},     // SMB: EternalBlue / WannaCry remnants
    {kTcp, 80, 5.5},
    {kTcp, 8080, 4.0},
    {kTcp, 3389, 3.6},    // RDP brute force
    {kTcp, 443, 3.2},
    {kTcp, 2323, 2.2},    // Mirai's alternative telnet port
    {kTcp, 5555, 2.0},    // Android Debug Bridge
    {kTcp, 1433, 1.8},
    {kTcp, 6379, 1.5},    // Redis
    {kTcp, 3306, 1.3},
    {kTcp, 81, 1.2},      // IP cameras, DVRs
    {kTcp, 8443, 1.1},
    {kTcp, 5900, 1.0},
    {kTcp, 8081, 0.95},
    {kTcp, 2375, 0.9},    // Docker API
    {kTcp, 37215, 0.85},  // Huawei HG532 (CVE-2017-17215)
    {kTcp, 52869, 0.8},   // Realtek SDK miniigd (CVE-2014-8361)
    {kTcp, 7547, 0.75},   // TR-069 (Mirai variants, 2016)
    {kTcp, 8088, 0.7},
    {kTcp, 9200, 0.65},   // Elasticsearch
    {kUdp, 5060, 0.6},    // SIP
    {kUdp, 123, 0.55},    // NTP (amplification hunting)
    {kUdp, 53, 0.5},
    {kTcp, 25, 0.48},
    {kTcp, 21, 0.45},
    {kUdp, 161, 0.42},    // SNMP
    {kUdp, 1900, 0.4},    // SSDP
    {kTcp, 8000, 0.38},
    {kTcp, 60001, 0.35},  // DVR web servers
    {kUdp, 11211, 0.3},   // memcached amplification
    {kTcp, 2222, 0.29},
    {kTcp, 8888, 0.28},
    {kTcp, 5985, 0.26},   // WinRM
    {kTcp, 6443, 0.24},   // Kubernetes API
    {kTcp, 7001, 0.22},   // WebLogic
    {kTcp, 10000, 0.21},
    {kTcp, 8291, 0.2},    // MikroTik Winbox
    {kUdp, 389, 0.19},    // CLDAP amplification
    {kUdp, 3702, 0.18},   // WS-Discovery amplification
    {kTcp, 5000, 0.17},
    {kTcp, 9000, 0.16},
    {kTcp, 110, 0.15},
    {kTcp, 3128, 0.14},
    {kUdp, 137, 0.13},
    {kUdp, 500, 0.12},    // IKE
    {kTcp, 1080, 0.11},
    {kTcp, 139, 0.1},
    {kTcp, 135, 0.1},
    {kUdp, 5353, 0.09},   // mDNS
};

// SYN retransmission schedules (ms after the first SYN).
// Windows: 3 s initial RTO, doubled, 2 retries (TcpMaxConnectRetransmissions).
constexpr std::array<uint32_t, 6> kWindowsRto3s = {0, 3000, 9000, 0, 0, 0};
// Linux 2.4/2.6: RFC 2988's 3 s initial RTO, tcp_syn_retries 5.
constexpr std::array<uint32_t, 6> kLinuxRto3s = {0, 3000, 9000, 21000, 45000, 93000};
// Linux 3.1+: RFC 6298's 1 s; tcp_syn_retries 6 (3.7+), the seventh send (63 s) left out.
constexpr std::array<uint32_t, 6> kLinuxRto1s = {0, 1000, 3000, 7000, 15000, 31000};
// BSD tcp_syn_backoff[] = 1, 1, 1, 1, 1, 2, ... times a 1 s initial RTO.
constexpr std::array<uint32_t, 6> kBsdBackoff = {0, 1000, 2000, 3000, 4000, 5000};
// Stateless scanners send once.
constexpr std::array<uint32_t, 6> kOnce = {0, 0, 0, 0, 0, 0};

// Keep in sync with kMix2003/kMixToday below (same order).
constexpr Stack kStacks[] = {
    // Seed 004 exactly: TTL 117 after 11 hops, Win 0x16D0, MSS 1460 NOP NOP SackOK,
    // DgmLen 48, DF, IP ID 31988 -> 32007 -> 32053, SYN at 0, 2.96, 8.98 s, ports 3504/4665.
    {.name = "windows-95-nt4", .label = "Windows 95 or early NT4", .initial_ttl = 128,
     .window = 5840, .mss = 1460, .wscale = 0, .tcp_opts = Layout({M, N, N, S}), .syn_ip_len = 48,
     .df = true, .ip_id = IpIdMode::kCounter, .ip_id_value = 10, .sport = SportMode::kSequential,
     .sport_lo = 1025, .sport_hi = 5000, .seq = SeqMode::kRandom, .syn_tries = 3,
     .syn_ms = kWindowsRto3s, .ttl_spread = 0, .window_random = false},
    // p0f 2.x "%8192:128:1:48:M*,N,N,S  Windows 2000 SP2+"; TcpInitialRTT 3 s,
    // TcpMaxConnectRetransmissions 2; MaxUserPort 5000.
    {.name = "windows-2000", .label = "Windows 2000 SP2+", .initial_ttl = 128, .window = 16384,
     .mss = 1460, .wscale = 0, .tcp_opts = Layout({M, N, N, S}), .syn_ip_len = 48, .df = true,
     .ip_id = IpIdMode::kCounter, .ip_id_value = 30, .sport = SportMode::kSequential,
     .sport_lo = 1025, .sport_hi = 5000, .seq = SeqMode::kRandom, .syn_tries = 3,
     .syn_ms = kWindowsRto3s, .ttl_spread = 0, .window_random = false},
    // p0f 2.x "65535:128:1:48:M*,N,N,S  Windows 2000 SP4, XP SP1+"; seed 002: ports
    // 4109/4117 (1025-5000) and Windows retransmission.
    {.name = "windows-xp", .label = "Windows XP SP1+, 2000 SP4", .initial_ttl = 128,
     .window = 65535, .mss = 1460, .wscale = 0, .tcp_opts = Layout({M, N, N, S}),
     .syn_ip_len = 48, .df = true, .ip_id = IpIdMode::kCounter, .ip_id_value = 30,
     .sport = SportMode::kSequential, .sport_lo = 1025, .sport_hi = 5000, .seq = SeqMode::kRandom,
     .syn_tries = 3, .syn_ms = kWindowsRto3s, .ttl_spread = 0, .window_random = false},
    // Windows 10/11: 64240 = 44 x 1460, MSS NOP WS8 NOP NOP SackOK; IANA dynamic ports.
    {.name = "windows-10", .label = "Windows 10/11", .initial_ttl = 128, .window = 64240,
     .mss = 1460, .wscale = 9, .tcp_opts = Layout({M, N, W, N, N, S}), .syn_ip_len = 52,
     .df = true, .ip_id = IpIdMode::kCounter, .ip_id_value = 20, .sport = SportMode::kSequential,
     .sport_lo = 49152, .sport_hi = 65535, .seq = SeqMode::kRandom, .syn_tries = 3,
     .syn_ms = kWindowsRto3s, .ttl_spread = 0, .window_random = false},
    // p0f 2.x "S4:64:1:60:M*,S,T,N,W0  Linux 2.4"; global port rover (sequential).
    {.name = "linux-2.4", .label = "Linux 2.4", .initial_ttl = 64, .window = 5840, .mss = 1460,
     .wscale = 1, .tcp_opts = Layout({M, S, T, N, W}), .syn_ip_len = 60, .df = true,
     .ip_id = IpIdMode::kRandom, .ip_id_value = 0, .sport = SportMode::kSequential,
     .sport_lo = 32768, .sport_hi = 61000, .seq = SeqMode::kRandom, .syn_tries = 6,
     .syn_ms = kLinuxRto3s, .ttl_spread = 0, .window_random = false},
    // p0f 2.x "S4:64:1:60:M*,S,T,N,W2  Linux 2.6 (older)"; hashed ephemeral ports.
    {.name = "linux-2.6", .label = "Linux 2.6", .initial_ttl = 64, .window = 5840, .mss = 1460,
     .wscale = 3, .tcp_opts = Layout({M, S, T, N, W}), .syn_ip_len = 60, .df = true,
     .ip_id = IpIdMode::kRandom, .ip_id_value = 0, .sport = SportMode::kRandom,
     .sport_lo = 32768, .sport_hi = 61000, .seq = SeqMode::kRandom, .syn_tries = 6,
     .syn_ms = kLinuxRto3s, .ttl_spread = 0, .window_random = false},
    // p0f 3 "Linux 3.11 and newer: mss,sok,ts,nop,ws", scale 7; 64240 = 44 x 1460 on recent
    // kernels (29200 on 3.x/4.x).
    {.name = "linux-modern", .label = "Linux 3.x-6.x", .initial_ttl = 64, .window = 64240,
     .mss = 1460, .wscale = 8, .tcp_opts = Layout({M, S, T, N, W}), .syn_ip_len = 60,
     .df = true, .ip_id = IpIdMode::kRandom, .ip_id_value = 0, .sport = SportMode::kRandom,
     .sport_lo = 32768, .sport_hi = 60999, .seq = SeqMode::kRandom, .syn_tries = 6,
     .syn_ms = kLinuxRto1s, .ttl_spread = 0, .window_random = false},
    // p0f 3 "FreeBSD 9.x+: 65535,6 : mss,nop,ws,sok,ts"; ip_id.c: ID 0 for DF (RFC 6864).
    {.name = "freebsd", .label = "FreeBSD 11+", .initial_ttl = 64, .window = 65535, .mss = 1460,
     .wscale = 7, .tcp_opts = Layout({M, N, W, S, T}), .syn_ip_len = 60, .df = true,
     .ip_id = IpIdMode::kZero, .ip_id_value = 0, .sport = SportMode::kRandom,
     .sport_lo = 10000, .sport_hi = 65535, .seq = SeqMode::kRandom, .syn_tries = 6,
     .syn_ms = kBsdBackoff, .ttl_spread = 0, .window_random = false},
    // p0f 3 "Mac OS X: 65535 : mss,nop,ws,nop,nop,ts,sok,eol+1" (22 bytes + EOL padding = 24).
    {.name = "macos", .label = "macOS", .initial_ttl = 64, .window = 65535, .mss = 1460,
     .wscale = 7, .tcp_opts = Layout({M, N, W, N, N, T, S}), .syn_ip_len = 64, .df = true,
     .ip_id = IpIdMode::kRandom, .ip_id_value = 0, .sport = SportMode::kRandom,
     .sport_lo = 49152, .sport_hi = 65535, .seq = SeqMode::kRandom, .syn_tries = 6,
     .syn_ms = kBsdBackoff, .ttl_spread = 0, .window_random = false},
    // nmap -sS: TTL (rand % 23) + 37, window 1024, TCP_SYN_PROBE_OPTIONS = MSS 1460, no DF,
    // random IP ID per probe, source port base_port in [33000, 65280) for the whole scan.
    // Its re-probes change seq and source port, so they are new attempts, not retransmissions.
    {.name = "nmap-syn", .label = "nmap SYN scan", .initial_ttl = 59, .window = 1024, .mss = 1460,
     .wscale = 0, .tcp_opts = Layout({M}), .syn_ip_len = 44, .df = false,
     .ip_id = IpIdMode::kRandom, .ip_id_value = 0, .sport = SportMode::kFixed,
     .sport_lo = 33000, .sport_hi = 65279, .seq = SeqMode::kRandom, .syn_tries = 1,
     .syn_ms = kOnce, .ttl_spread = 22, .window_random = false},
    // ZMap 2.x-3.x tcp_synscan: IP ID 54321, TTL 255 (MAXTTL), window 65535, MSS 1460,
    // no DF, source ports 32768-61000, one probe per target (-P 1).
    {.name = "zmap", .label = "ZMap", .initial_ttl = 255, .window = 65535, .mss = 1460,
     .wscale = 0, .tcp_opts = Layout({M}), .syn_ip_len = 44, .df = false,
     .ip_id = IpIdMode::kConstant, .ip_id_value = 54321, .sport = SportMode::kRandom,
     .sport_lo = 32768, .sport_hi = 61000, .seq = SeqMode::kRandom, .syn_tries = 1,
     .syn_ms = kOnce, .ttl_spread = 0, .window_random = false},
    // masscan 1.0.x template: TTL 255, window 1024, no options, IP ID = dst ^ dport ^ seq,
    // one source port 40000 + now % 20000 for the whole scan, no retries by default.
    {.name = "masscan", .label = "masscan", .initial_ttl = 255, .window = 1024, .mss = 0,
     .wscale = 0, .tcp_opts = 0, .syn_ip_len = 40, .df = false, .ip_id = IpIdMode::kMasscan,
     .ip_id_value = 0, .sport = SportMode::kFixed, .sport_lo = 40000, .sport_hi = 59999,
     .seq = SeqMode::kRandom, .syn_tries = 1, .syn_ms = kOnce, .ttl_spread = 0,
     .window_random = false},
    // Mirai bot/scanner.c: raw SYN, TTL 64, no options, no DF, random IP ID per packet,
    // seq = target address, one source port >= 1024 and one random window per bot.
    {.name = "mirai", .label = "Mirai scanner", .initial_ttl = 64, .window = 0, .mss = 0,
     .wscale = 0, .tcp_opts = 0, .syn_ip_len = 40, .df = false, .ip_id = IpIdMode::kRandom,
     .ip_id_value = 0, .sport = SportMode::kFixed, .sport_lo = 1024, .sport_hi = 65535,
     .seq = SeqMode::kDstIp, .syn_tries = 1, .syn_ms = kOnce, .ttl_spread = 0,
     .window_random = true},
};

// Shares of sources (not of packets), parallel to kStacks. Estimates: see
// docs/simulator.md.
constexpr double kMix2003[] = {
    0.04,  // windows-95-nt4 (with 98/ME)
    0.34,  // windows-2000
    0.48,  // windows-xp
    0.00,  // windows-10
    0.09,  // linux-2.4
    0.04,  // linux-2.6
    0.00,  // linux-modern
    0.00,  // freebsd (FreeBSD 4/5 had another shape; ~1 % folded into linux-2.4)
    0.00,  // macos
    0.01,  // nmap-syn
    0.00,  // zmap (2013)
    0.00,  // masscan (2013)
    0.00,  // mirai (2016)
};
constexpr double kMixToday[] = {
    0.00,  // windows-95-nt4
    0.00,  // windows-2000
    0.02,  // windows-xp (embedded, unpatched)
    0.14,  // windows-10
    0.01,  // linux-2.4
    0.05,  // linux-2.6 (old embedded kernels: DVRs, routers)
    0.28,  // linux-modern
    0.02,  // freebsd
    0.01,  // macos
    0.06,  // nmap-syn
    0.05,  // zmap
    0.06,  // masscan
    0.30,  // mirai
};
static_assert(std::size(kMix2003) == std::size(kStacks));
static_assert(std::size(kMixToday) == std::size(kStacks));

// 2010-01-01: IoT scanning and fast scanners belong to the later decade.
constexpr int64_t kTodayFromDay = 14610;

}  // namespace

Era EraOfDay(int64_t day) { return day < kTodayFromDay ? Era::k2003 : Era::kToday; }

std::span<const PortWeight> ScannedPorts(Era era) {
  if (era == Era::k2003) return kPorts2003;
  return kPortsToday;
}

std::span<const Stack> Stacks() { return kStacks; }

const Stack* FindStack(std::string_view name) {
  for (const Stack& s : kStacks) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::span<const double> StackMix(Era era) {
  if (era == Era::k2003) return kMix2003;
  return kMixToday;
}

}  // namespace portstorm::sim
