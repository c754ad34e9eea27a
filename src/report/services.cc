#include "report/services.h"

#include <algorithm>
#include <iterator>

#include "core/event.h"

namespace portstorm::report {
namespace {

enum : uint8_t { T = 1, U = 2, B = 3 };  // tcp, udp, both

struct Entry {
  uint16_t port;
  uint8_t protos;
  std::string_view name;
};

// Sorted by port; at most one entry per (port, protocol).
constexpr Entry kServices[] = {
    {7, B, "echo"},           {9, B, "discard"},         {13, B, "daytime"},
    {17, B, "qotd"},          {19, B, "chargen"},        {20, T, "ftp-data"},
    {21, T, "ftp"},           {22, T, "ssh"},            {23, T, "telnet"},
    {25, T, "smtp"},          {42, B, "nameserver"},     {53, B, "domain"},
    {67, U, "bootps"},        {68, U, "bootpc"},         {69, U, "tftp"},
    {79, T, "finger"},        {80, T, "http"},           {88, B, "kerberos"},
    {110, T, "pop3"},         {111, B, "sunrpc"},        {113, T, "ident"},
    {119, T, "nntp"},         {123, U, "ntp"},           {135, B, "epmap"},
    {137, B, "netbios-ns"},   {138, U, "netbios-dgm"},   {139, T, "netbios-ssn"},
    {143, T, "imap"},         {161, U, "snmp"},          {162, U, "snmptrap"},
    {179, T, "bgp"},          {389, B, "ldap"},          {443, T, "https"},
    {445, B, "microsoft-ds"}, {500, U, "isakmp"},        {513, T, "login"},
    {514, T, "shell"},        {514, U, "syslog"},        {515, T, "printer"},
    {520, U, "route"},        {554, T, "rtsp"},          {593, T, "http-rpc-epmap"},
    {631, T, "ipp"},          {636, T, "ldaps"},         {873, T, "rsync"},
    {993, T, "imaps"},        {995, T, "pop3s"},         {1025, T, "win-rpc"},
    {1026, T, "win-rpc"},     {1026, U, "win-messenger"}, {1027, T, "win-rpc"},
    {1027, U, "win-messenger"}, {1028, T, "win-rpc"},    {1028, U, "win-messenger"},
    {1029, T, "win-rpc"},     {1029, U, "win-messenger"}, {1030, T, "win-rpc"},
    {1030, U, "win-messenger"}, {1031, T, "win-rpc"},    {1031, U, "win-messenger"},
    {1080, T, "socks"},       {1214, T, "kazaa"},        {1433, T, "ms-sql-s"},
    {1434, U, "ms-sql-m"},    {1723, T, "pptp"},         {1900, U, "ssdp"},
    {2049, B, "nfs"},         {2745, T, "bagle"},        {3127, T, "mydoom"},
    {3128, T, "http-proxy"},  {3306, T, "mysql"},        {3389, T, "ms-wbt-server"},
    {3771, B, "rtp-paging"},  {4444, T, "blaster"},      {4662, T, "edonkey"},
    {4672, U, "emule"},       {4899, T, "radmin"},       {5000, T, "upnp"},
    {5554, T, "sasser-ftp"},  {5900, T, "vnc"},          {6000, T, "x11"},
    {6129, T, "dameware"},    {6346, B, "gnutella"},     {6667, T, "irc"},
    {6881, T, "bittorrent"},  {8080, T, "http-alt"},     {9898, T, "dabber"},
    {10000, T, "webmin"},     {27374, T, "subseven"},    {31337, U, "back-orifice"},
};

}  // namespace

std::string_view ServiceName(uint8_t proto, uint16_t port) {
  uint8_t want = proto == kProtoTcp ? T : (proto == kProtoUdp ? U : 0);
  if (want == 0) return {};
  auto it = std::lower_bound(std::begin(kServices), std::end(kServices), port,
                             [](const Entry& e, uint16_t p) { return e.port < p; });
  for (; it != std::end(kServices) && it->port == port; ++it) {
    if (it->protos & want) return it->name;
  }
  return {};
}

}  // namespace portstorm::report
