// The format registry: one line per format. Adding a format = one file pair
// in formats/ plus one line in kFormats.
#include <algorithm>
#include <array>
#include <string>

#include "parse/formats/dshield.h"
#include "parse/formats/ipchains.h"
#include "parse/formats/netfilter.h"
#include "parse/formats/snort_fast.h"
#include "parse/formats/snort_full.h"
#include "parse/formats/p0f.h"
#include "parse/formats/ims.h"
#include "parse/formats/filterlog.h"
#include "parse/formats/pf.h"
#include "parse/formats/windows_firewall.h"
#include "parse/formats/mikrotik.h"
#include "parse/formats/cisco_asa.h"
#include "parse/formats/fortigate.h"
#include "parse/formats/panos.h"
#include "parse/formats/juniper_srx.h"
#include "parse/formats/checkpoint.h"
#include "parse/formats/suricata_eve.h"
#include "parse/formats/zeek_conn.h"
#include "parse/formats/csv.h"
#include "parse/formats/mixed_syslog.h"
#include "parse/parser.h"

namespace portstorm::parse {
namespace {

// A line counts as a format's when its detector scores at least this much.
constexpr int kSureOfLine = 50;

const std::array<FormatInfo, 20> kFormats = {{
    {"netfilter", "Linux netfilter LOG lines (iptables, ip6tables, nftables, ufw, Shorewall, ...)",
     "Mar  2 15:32:54 gw kernel: [UFW BLOCK] IN=eth0 OUT= MAC= SRC=203.0.113.7 DST=198.51.100.2 "
     "LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=4711 DF PROTO=TCP SPT=40112 DPT=22 WINDOW=64240 "
     "RES=0x00 SYN URGP=0",
     &DetectNetfilter, &MakeNetfilterParser},
    {"dshield", "DShield tab-separated submission format",
     "2005-01-11 01:42:22 -05:00\t1234\t1\t192.0.2.9\t4177\t198.51.100.50\t1026\t17\t",
     &DetectDshield, &MakeDshieldParser},
    {"ipchains", "Linux 2.2 ipchains packet log lines",
     "Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 192.0.2.1:3504 "
     "198.51.100.20:6346 L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)",
     &DetectIpchains, &MakeIpchainsParser},
    {"snort_fast", "snort/Suricata one-line alerts: fast.log and syslog (alert_syslog) lines",
     "03/02-15:32:54.630347  [**] [1:0:0] TCP to 6346 gnutella [**] [Priority: 0] {TCP} 192.0.2.112:3504 -> 198.51.100.120:6346",
     &DetectSnortFast, &MakeSnortFastParser},
    {"snort_full", "snort packet dumps: snort -vd output and alert_full blocks (=+=+= / [**] blocks)",
     "03/02-15:32:54.630347 192.0.2.112:3504 -> 198.51.100.120:6346\nTCP TTL:117 TOS:0x0 ID:31988 IpLen:20 DgmLen:48 DF\n******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28\nTCP Options (4) => MSS: 1460 NOP NOP SackOK",
     &DetectSnortFull, &MakeSnortFullParser},
    {"p0f", "p0f passive fingerprints: p0f 3 log lines (mod=syn, syn+ack), p0f 2 and p0f 1 text output",
     "[2012/01/01 10:00:00] mod=syn|cli=192.0.2.1/1234|srv=198.51.100.2/80|subj=cli|os=Linux 3.x|dist=10|params=none|raw_sig=4:54+10:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0",
     &DetectP0f, &MakeP0fParser},
    {"ims", "IMS-style darknet sensor records (seed 002; mail-quoted and wrapped records joined)",
     "01-11-2005 01:42:22 0005a1f4 192.0.2.239 4117 A.B.C.50 5000 TCP -S------ 1296947564 0",
     &DetectIms, &MakeImsParser},
    {"pfsense_filterlog", "pfSense/OPNsense filterlog CSV (IPv4/IPv6; RFC 3164, RFC 5424 and BSD syslog headers)",
     "Jan 11 01:42:22 fw filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,52,54321,0,DF,6,tcp,60,192.0.2.1,198.51.100.2,4117,5000,0,S,1296947564,,65535,,mss;nop;wscale;sackOK;TS",
     &DetectFilterlog, &MakeFilterlogParser},
    {"pf", "OpenBSD/FreeBSD pf: tcpdump -n -e -ttt/-tttt text of pflog",
     "Jan 11 01:42:22.123456 rule 2/(match) block in on em0: 192.0.2.1.4117 > 198.51.100.2.5000: S 1296947564:1296947564(0) win 65535 <mss 1460,nop,nop,sackOK> (DF)",
     &DetectPf, &MakePfParser},
    {"windows_firewall", "Windows Firewall pfirewall.log (W3C, #Fields header)",
     "2005-01-11 01:42:22 DROP TCP 192.0.2.1 198.51.100.2 4117 5000 48 S 1296947564 0 65535 - - - RECEIVE",
     &DetectWindowsFirewall, &MakeWindowsFirewallParser},
    {"mikrotik", "MikroTik RouterOS firewall log lines (syslog or RouterOS log)",
     "Jan 11 01:42:22 198.51.100.254 firewall,info drop-wan input: in:ether1 out:(unknown 0), connection-state:new src-mac 00:00:5e:00:53:01, proto TCP (SYN), 192.0.2.1:4117->198.51.100.2:5000, len 60",
     &DetectMikrotik, &MakeMikrotikParser},
    {"cisco_asa", "Cisco ASA/PIX/FTD deny messages (%ASA-4-106023, 106001, 106006, 106007, 106014, 106100, 710003, ...)",
     "Jan 11 2005 01:42:22: %ASA-4-106023: Deny tcp src outside:192.0.2.1/4117 dst inside:198.51.100.2/5000 by access-group \"outside_in\" [0x0, 0x0]",
     &DetectCiscoAsa, &MakeCiscoAsaParser},
    {"fortigate", "FortiGate/FortiOS key=value traffic logs (action deny)",
     "date=2005-01-11 time=01:42:22 devname=\"fg1\" devid=\"FG100E0000000001\" logid=\"0000000013\" type=\"traffic\" subtype=\"forward\" srcip=192.0.2.1 srcport=4117 dstip=198.51.100.2 dstport=5000 proto=6 action=\"deny\" policyid=0",
     &DetectFortigate, &MakeFortigateParser},
    {"panos", "Palo Alto Networks PAN-OS TRAFFIC/THREAT syslog CSV (deny, drop, reset, threats)",
     "1,2005/01/11 01:42:23,001801000001,TRAFFIC,deny,2561,2005/01/11 01:42:22,192.0.2.1,198.51.100.2,0.0.0.0,0.0.0.0,deny-all,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,fwd-all,2005/01/11 01:42:22,4711,1,4117,5000,0,0,0x0,tcp,deny,60,60,0,1",
     &DetectPanos, &MakePanosParser},
    {"juniper_srx", "Juniper SRX RT_FLOW session logs (DENY, CREATE/CLOSE) and RT_SCREEN alarms, plain or structured",
     "Jan 11 01:42:22 srx1 RT_FLOW: RT_FLOW_SESSION_DENY: session denied 192.0.2.1/4117->198.51.100.2/5000 0x0 junos-tcp-any 6(0) default-deny(global) untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny",
     &DetectJuniperSrx, &MakeJuniperSrxParser},
    {"checkpoint", "Check Point firewall logs (Log Exporter key:\"value\"; Drop/Reject/Block, packet lists)",
     "<134>1 2005-01-11T01:42:22Z mgmt1 CheckPoint 16953 - [action:\"Drop\"; origin:\"203.0.113.1\"; time:\"1105407742\"; src:\"192.0.2.1\"; s_port:\"4117\"; dst:\"198.51.100.2\"; service:\"5000\"; proto:\"6\"]",
     &DetectCheckpoint, &MakeCheckpointParser},
    {"suricata_eve", "Suricata EVE JSON (alert, drop, flow with state new; other event types skipped)",
     "{\"timestamp\":\"2024-03-02T15:32:55.000100+0000\",\"event_type\":\"drop\",\"src_ip\":\"203.0.113.9\",\"src_port\":4117,\"dest_ip\":\"198.51.100.20\",\"dest_port\":5000,\"proto\":\"TCP\",\"drop\":{\"len\":60,\"ttl\":49,\"ipid\":31988,\"syn\":true}}",
     &DetectSuricataEve, &MakeSuricataEveParser},
    {"zeek_conn", "Zeek conn.log (TSV with #fields header, or JSON); action from conn_state",
     "1709393574.123456\tCq3Xbd2kTzDq1Lfx5\t192.0.2.7\t40312\t198.51.100.20\t23\ttcp\t-\t2.998123\t0\t0\tS0\tF\tT\t0\tS\t3\t180\t0\t0\t-",
     &DetectZeekConn, &MakeZeekConnParser},
    {"csv", "generic CSV with a header, columns by name or --csv-map",
     "timestamp,src_ip,src_port,dst_ip,dst_port,protocol,action",
     &DetectCsv, &MakeCsvParser},
    {"mixed_syslog", "a syslog stream mixing the formats above line by line (a collector's file)",
     "Jan 11 01:42:22 gw kernel: DROP IN=eth0 OUT= SRC=192.0.2.1 DST=198.51.100.2 LEN=60 TOS=0x00 "
     "PREC=0x00 TTL=52 ID=54321 DF PROTO=TCP SPT=4117 DPT=5000 WINDOW=65535 RES=0x00 SYN URGP=0\n"
     "Jan 11 01:42:23 fw1 filterlog[4711]: 5,,,1000000103,em0,match,block,in,4,0x0,,52,54321,0,DF,6,"
     "tcp,60,192.0.2.1,198.51.100.3,4117,5000,0,S,1296947564,,65535,,mss;nop;wscale;sackOK;TS",
     &DetectMixedSyslog, &MakeMixedSyslogParser},
}};

constexpr std::string_view kReasonNames[kReasonCount] = {
    "not a record", "unparsable address", "bad port",      "unknown protocol", "bad timestamp",
    "truncated",    "line too long",      "bad field",     "binary",           "unknown format"};
constexpr std::string_view kReasonKeys[kReasonCount] = {
    "not_a_record", "unparsable_address", "bad_port",  "unknown_protocol", "bad_timestamp",
    "truncated",    "line_too_long",      "bad_field", "binary",           "unknown_format"};

}  // namespace

std::string_view ReasonName(Reason r) {
  auto i = static_cast<size_t>(r);
  return i < kReasonCount ? kReasonNames[i] : "unknown reason";
}

std::string_view ReasonKey(Reason r) {
  auto i = static_cast<size_t>(r);
  return i < kReasonCount ? kReasonKeys[i] : "unknown_reason";
}

std::span<const FormatInfo> Formats() { return kFormats; }

const FormatInfo* FindFormat(std::string_view name) {
  for (const FormatInfo& f : kFormats) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<const FormatInfo*> DetectFormat(std::span<const std::string_view> first_lines) {
  // Sum of scores over the sample: a syslog file where one line in ten is a
  // firewall record still detects, and one stray line does not outvote many.
  std::array<long, kFormats.size()> score{};
  size_t nonblank = 0;
  for (std::string_view line : first_lines) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    ++nonblank;
    for (size_t i = 0; i < kFormats.size(); ++i) score[i] += kFormats[i].detect(line);
  }
  size_t best = 0;
  for (size_t i = 1; i < kFormats.size(); ++i) {
    if (score[i] > score[best]) best = i;
  }
  if (score[best] > 0) {
    // A collector's stream: lines of two or more syslog-carried formats.
    const auto carried = SyslogCarriedFormats();
    if (std::find(carried.begin(), carried.end(), kFormats[best].name) != carried.end()) {
      const FormatInfo* first = nullptr;
      for (std::string_view line : first_lines) {
        int s = 0;
        const FormatInfo* f = BestSyslogFormat(line, &s);
        if (f == nullptr || s < kSureOfLine) continue;
        if (first == nullptr) first = f;
        if (f != first) return FindFormat("mixed_syslog");
      }
    }
    return &kFormats[best];
  }
  std::string names;
  for (const FormatInfo& f : kFormats) {
    if (!names.empty()) names += ", ";
    names += f.name;
  }
  return Status::NotFound("no known log format in the first " + std::to_string(nonblank) +
                          " non-blank lines (known: " + names + "); name one with --format");
}

}  // namespace portstorm::parse
