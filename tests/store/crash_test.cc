// Crash loop: runs crash_writer, kill -9s it at random moments (during
// appends, flushes and recovery), reopens the store and checks that it
// verifies and holds every acknowledged batch exactly once and none
// partially. 52 kills; the writer resumes where the store says it stopped.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "crash_batches.h"
#include "store/store.h"

namespace portstorm::store {
namespace {

// Runs the writer for about `ms` milliseconds, kills it with SIGKILL and
// returns the batch numbers it acknowledged.
std::set<uint64_t> RunAndKill(const std::string& dir, int ms, const char* memtable) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execl(CRASH_WRITER, CRASH_WRITER, dir.c_str(), memtable, static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) > 0) {
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  ::kill(pid, SIGKILL);
  int status;
  ::waitpid(pid, &status, 0);
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  std::set<uint64_t> acked;
  size_t start = 0, nl;
  while ((nl = out.find('\n', start)) != std::string::npos) {  // complete lines only
    acked.insert(std::stoull(out.substr(start, nl - start)));
    start = nl + 1;
  }
  return acked;
}

TEST(CrashTest, KillNineLoop) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("ps_crash_test_" + std::to_string(::getpid()))).string();
  std::filesystem::remove_all(dir);
  std::mt19937 rng(12345);
  std::set<uint64_t> acked;
  uint64_t stored_before = 0;
  const int kKills = 52;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < kKills; ++round) {
    // Mostly mid-run; sometimes early, inside open/recovery.
    int ms = round % 5 == 0 ? 5 + static_cast<int>(rng() % 40) : 40 + static_cast<int>(rng() % 160);
    const char* memtable = round % 2 ? "300" : "1000";
    std::set<uint64_t> now = RunAndKill(dir, ms, memtable);
    acked.insert(now.begin(), now.end());

    auto s = Store::Open(dir);
    ASSERT_TRUE(s.ok()) << "round " << round << ": " << s.status().ToString();
    auto v = (*s)->Verify();
    ASSERT_TRUE(v.ok());
    ASSERT_TRUE(v->problems.empty()) << "round " << round << ": " << v->problems[0];
    std::map<uint64_t, std::vector<Event>> got;
    Status st = (*s)->Scan({}, [&](std::span<const Event> b) {
      for (const Event& e : b) got[e.seq].push_back(e);
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    for (uint64_t b : acked) ASSERT_TRUE(got.count(b)) << "round " << round << ": lost " << b;
    for (auto& [b, events] : got) {
      ASSERT_TRUE(testing::Sorted(events) == testing::Sorted(testing::CrashBatch(b)))
          << "round " << round << ": batch " << b << " has " << events.size() << " events";
    }
    uint64_t stored = got.size();
    ASSERT_EQ(got.empty() ? 0 : got.rbegin()->first + 1, stored) << "gap in batches";
    ASSERT_GE(stored, stored_before);
    // At most one batch beyond what was acknowledged or stored before: the
    // one a writer appended and was killed before printing.
    uint64_t known = std::max(stored_before, acked.empty() ? 0 : *acked.rbegin() + 1);
    ASSERT_LE(stored, known + 1) << "round " << round;
    auto origin = (*s)->RegisterOrigin("check", testing::kCrashKey, 4096);
    ASSERT_TRUE(origin.ok());
    ASSERT_EQ(origin->lines, stored);
    ASSERT_TRUE((*s)->Close().ok());
    stored_before = stored;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%d kills, %zu acknowledged batches, %llu stored, %.1f s\n", kKills, acked.size(),
              static_cast<unsigned long long>(stored_before), secs);
  EXPECT_GT(acked.size(), 100u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace portstorm::store
