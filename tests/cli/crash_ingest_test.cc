// Crash safety of the real binary: `portstorm ingest` is killed with SIGKILL at
// random moments, again and again; after each kill the store must open and
// verify, hold every line of every batch the killed process reported stored,
// and hold each line at most once. Line i of the input has target port
// 1 + i % 997, so the per-port record counts of a store identify exactly which
// prefix of the file it holds: counts that match no prefix mean a lost or a
// doubled record.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
constexpr int kLines = 240000;
constexpr int kPorts = 997;

std::string Binary() { return PORTSTORM_BIN; }

// Runs a command, returns (exit status, stdout).
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

// Per-port record counts of the store's one day, from `report ports --output tsv`.
std::map<int, long> PortCounts(const std::string& store) {
  auto [rc, out] = Shell(Binary() + " --store " + store +
                       " report ports --day 2005-01-11 --top 100000 --output tsv 2>&1");
  std::map<int, long> counts;
  std::istringstream in(out);
  std::string line;
  std::vector<std::string> header;
  int port_col = -1, rec_col = -1;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::istringstream ls(line);
    std::string c;
    while (std::getline(ls, c, '\t')) cells.push_back(c);
    if (port_col < 0) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i] == "port") port_col = static_cast<int>(i);
        if (cells[i] == "records") rec_col = static_cast<int>(i);
      }
      if (port_col < 0 || rec_col < 0) {
        ADD_FAILURE() << "unexpected report output: " << out;
        return {};
      }
      continue;
    }
    counts[std::stoi(cells[port_col])] += std::stol(cells[rec_col]);
  }
  return counts;
}

// Number of lines N such that the first N lines give exactly these counts, or -1.
long PrefixLength(const std::map<int, long>& counts) {
  long total = 0;
  for (auto& [p, c] : counts) total += c;
  for (auto& [p, c] : counts) {
    long expect = total / kPorts + ((p - 1) < total % kPorts ? 1 : 0);
    if (p < 1 || p > kPorts || c != expect) return -1;
  }
  long ports_seen = static_cast<long>(counts.size());
  if (ports_seen != std::min<long>(total, kPorts)) return -1;
  return total;
}

TEST(CrashIngestTest, KillNineLoopKeepsEveryAcknowledgedRecordExactlyOnce) {
  fs::path dir = fs::temp_directory_path() / ("portstorm-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string log = (dir / "fw.log").string();
  {
    std::ofstream f(log);
    for (int i = 0; i < kLines; ++i) {
      int secs = static_cast<int>(static_cast<long>(i) * 86000 / kLines);
      char line[512];
      std::snprintf(line, sizeof line,
                    "Jan 11 %02d:%02d:%02d fw kernel: DROP IN=eth0 OUT= SRC=10.%d.%d.%d DST=192.0.2.%d "
                    "LEN=48 TOS=0x00 PREC=0x00 TTL=113 ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=65535 "
                    "RES=0x00 SYN URGP=0\n",
                    secs / 3600, secs / 60 % 60, secs % 60, (i >> 16) & 255, (i >> 8) & 255, i & 255,
                    i % 254 + 1, i & 0xffff, 1024 + i % 60000, 1 + i % kPorts);
      f << line;
    }
  }
  // Kills are drawn over the time one whole ingest takes (measured here, at
  // most 2.5 s), so they land early, mid-ingest and near the end however
  // fast ingest is on this machine; a fixed window lets a fast ingest finish
  // before most kills.
  int window_ms = 2500;
  {
    std::string scratch = (dir / "timing-store").string();
    auto t0 = std::chrono::steady_clock::now();
    auto [rc, out] = Shell(Binary() + " --store " + scratch + " ingest --year 2005 --quiet " + log + " 2>&1");
    ASSERT_EQ(rc, 0) << out;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    window_ms = static_cast<int>(std::clamp<long long>(ms * 6 / 5, 100, 2500));
    fs::remove_all(scratch);
  }
  std::mt19937 rng(20260101);
  std::string store = (dir / "store").string();
  int kills = 0, completions = 0;
  long max_acked = 0;
  for (int round = 0; kills < 50 && round < 200; ++round) {
    std::string acks = (dir / "acks.txt").string();
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      FILE* out = std::freopen(acks.c_str(), "w", stdout);
      (void)out;
      std::freopen("/dev/null", "w", stderr);
      execl(Binary().c_str(), "portstorm", "--store", store.c_str(), "ingest", "--year", "2005",
            "--print-acks", "--quiet", log.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    // Kill somewhere in the run: early (open/recovery), mid-ingest, or near the end.
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, window_ms)(rng)));
    bool killed = kill(pid, SIGKILL) == 0;
    int status = 0;
    waitpid(pid, &status, 0);
    bool was_killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    if (was_killed) ++kills;
    if (!was_killed) {
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "ingest failed on its own";
    }
    (void)killed;
    // The highest line the killed process reported as stored.
    long acked = 0;
    {
      std::ifstream a(acks);
      std::string l;
      while (std::getline(a, l)) {
        auto at = l.rfind("through line ");
        if (at != std::string::npos && !l.empty()) acked = std::stol(l.substr(at + 13));
      }
    }
    max_acked = std::max(max_acked, acked);
    if (!fs::exists(store)) {
      // Killed before it created the store: nothing can have been acknowledged.
      ASSERT_EQ(max_acked, 0) << "round " << round << ": acknowledged lines but no store";
      continue;
    }

    auto [vrc, vout] = Shell(Binary() + " --store " + store + " verify 2>&1");
    ASSERT_EQ(vrc, 0) << "round " << round << ": store does not verify after kill:\n" << vout;
    auto counts = PortCounts(store);
    long prefix = PrefixLength(counts);
    ASSERT_GE(prefix, 0) << "round " << round << ": store holds no prefix of the input (lost or doubled records)";
    ASSERT_GE(prefix, max_acked) << "round " << round << ": acknowledged lines missing";
    ASSERT_LE(prefix, kLines);
    if (prefix == kLines) {  // complete: start again from an empty store to keep killing
      ++completions;
      fs::remove_all(store);
      max_acked = 0;
    }
  }
  EXPECT_GE(kills, 50);
  // Finish whatever is left: the file is then stored exactly once, whole.
  auto [rc, out] = Shell(Binary() + " --store " + store + " ingest --year 2005 --quiet " + log + " 2>&1");
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(PrefixLength(PortCounts(store)), kLines);
  // And ingesting it once more adds nothing.
  auto [rc2, out2] = Shell(Binary() + " --store " + store + " ingest --year 2005 " + log + " 2>&1");
  ASSERT_EQ(rc2, 0) << out2;
  EXPECT_NE(out2.find("0 records stored"), std::string::npos) << out2;
  EXPECT_EQ(PrefixLength(PortCounts(store)), kLines);
  std::printf("kills: %d, complete runs: %d\n", kills, completions);
  fs::remove_all(dir);
}

}  // namespace
