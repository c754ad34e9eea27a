// The simulator's driver; see generator.h.
#include "sim/generator.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "sim/background.h"
#include "sim/log_writer.h"

namespace portstorm::sim {
namespace {

Status MakeDirs(const std::string& path) {
  std::string cur;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      if (!cur.empty() && ::mkdir(cur.c_str(), 0755) != 0 && errno != EEXIST) {
        return Status::FromErrno("mkdir " + cur, errno);
      }
    }
    if (i < path.size()) cur.push_back(path[i]);
  }
  return Status::Ok();
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + path, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// One log file: what `style`'s writer makes of `events`, dated the end of
// `day` (ingest infers the year of RFC 3164 lines from it).
Status WriteLog(const std::string& path, const LogStyle& style, const std::vector<Event>& events,
                int64_t day, std::string* buf, uint64_t* bytes) {
  std::unique_ptr<LogWriter> writer = MakeLogWriter(style);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  Status st;
  buf->clear();
  writer->Begin(buf);
  for (size_t i = 0; st.ok() && i <= events.size(); ++i) {
    if (i < events.size()) writer->Write(events[i], buf);
    if (buf->size() >= (1u << 20) || i == events.size()) {
      st = WriteAll(fd, *buf, path);
      *bytes += buf->size();
      buf->clear();
    }
  }
  struct timeval tv[2];
  tv[0].tv_sec = tv[1].tv_sec = (day + 1) * 86400 - 1;
  tv[0].tv_usec = tv[1].tv_usec = 0;
  if (st.ok() && ::futimes(fd, tv) != 0) st = Status::FromErrno("futimes " + path, errno);
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno("close " + path, errno);
  return st;
}

}  // namespace

std::string LogPath(const std::string& dir, const Sensor& s, int64_t day, size_t log) {
  const LogFormat f = s.Log(log).format;
  if (log == 0) return fmt::format("{}/{}/{}.{}", dir, s.name, FormatDay(day), LogFormatExtension(f));
  return fmt::format("{}/{}/{}.{}.{}", dir, s.name, FormatDay(day), LogFormatName(f), LogFormatExtension(f));
}

Simulation::Simulation(const SimConfig& config, Scenario scenario)
    : config_(config), scenario_(std::move(scenario)), world_(BuildWorld(config_, scenario_.background)) {}

Result<std::unique_ptr<Simulation>> Simulation::Create(const SimConfig& config, Scenario scenario) {
  if (config.days < 1 || config.days > 3660) return Status::InvalidArgument("--days must be 1..3660");
  if (config.sensors < 1 || config.sensors > 100000) return Status::InvalidArgument("--sensors must be 1..100000");
  if (!(config.scale > 0) || config.scale > 10000) return Status::InvalidArgument("--scale must be > 0 and <= 10000");
  for (const EventSpec& e : scenario.events) {
    if (e.start < 0 || e.start >= config.days) {
      return Status::InvalidArgument(fmt::format("event '{}' starts outside the run", e.id));
    }
  }
  std::unique_ptr<Simulation> sim(new Simulation(config, std::move(scenario)));
  for (const EventSpec& spec : sim->scenario_.events) sim->events_.push_back(MakeEvent(spec, sim->world_));
  return sim;
}

void Simulation::SensorDay(uint32_t si, int day, std::vector<Event>* out) const {
  out->clear();
  const Sensor& s = world_.sensors[si];
  if (s.Silent(day)) return;
  Rng rng(Key(config_.seed, 0xda7, si, static_cast<uint64_t>(day)));
  Background(world_, scenario_.background, s, day, rng, out);
  for (size_t i = 0; i < events_.size(); ++i) {
    Rng erng(Key(config_.seed, 0xe7e, i, si, static_cast<uint64_t>(day)));
    events_[i]->Emit(world_, s, day, erng, out);
  }
  for (Event& e : *out) e.time += s.clock_offset;
  // Log order is time order; ties keep generation order.
  std::stable_sort(out->begin(), out->end(), [](const Event& a, const Event& b) { return a.time < b.time; });
}

Result<SimStats> Simulation::Write(const std::string& dir) const {
  auto t0 = std::chrono::steady_clock::now();
  // Old logs beside new ones would no longer match truth.json.
  if (DIR* d = ::opendir(dir.c_str())) {
    bool empty = true;
    while (struct dirent* ent = ::readdir(d)) {
      if (std::strcmp(ent->d_name, ".") != 0 && std::strcmp(ent->d_name, "..") != 0) empty = false;
    }
    ::closedir(d);
    if (!empty) {
      return Status::InvalidArgument("--out " + dir + ": directory is not empty (give a new or empty one)");
    }
  }
  PS_RETURN_IF_ERROR(MakeDirs(dir));
  for (const Sensor& s : world_.sensors) PS_RETURN_IF_ERROR(MakeDirs(dir + "/" + s.name));
  const uint32_t n_sensors = static_cast<uint32_t>(world_.sensors.size());
  const uint64_t items = static_cast<uint64_t>(n_sensors) * static_cast<uint64_t>(config_.days);
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  Status first_error;
  SimStats stats;
  stats.records_by_sensor.assign(n_sensors, 0);
  auto work = [&]() {
    std::vector<Event> events;
    std::string buf;
    SimStats local;
    local.records_by_sensor.assign(n_sensors, 0);
    for (uint64_t item; (item = next.fetch_add(1)) < items;) {
      const uint32_t si = static_cast<uint32_t>(item % n_sensors);
      const int day = static_cast<int>(item / n_sensors);
      const Sensor& s = world_.sensors[si];
      if (s.Silent(day)) continue;
      SensorDay(si, day, &events);
      Status st;
      for (size_t k = 0; st.ok() && k < s.LogCount(); ++k) {
        const std::string path = LogPath(dir, s, world_.start_day + day, k);
        st = WriteLog(path, s.Log(k), events, world_.start_day + day, &buf, &local.bytes);
        local.files += st.ok();
      }
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first_error.ok()) first_error = st;
        next.store(items);
        break;
      }
      local.records += events.size();
      local.records_by_sensor[si] += events.size();
    }
    std::lock_guard<std::mutex> lock(mu);
    stats.records += local.records;
    stats.bytes += local.bytes;
    stats.files += local.files;
    for (uint32_t i = 0; i < n_sensors; ++i) stats.records_by_sensor[i] += local.records_by_sensor[i];
  };
  unsigned threads = config_.threads > 0 ? static_cast<unsigned>(config_.threads)
                                         : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<uint64_t>(threads, std::max<uint64_t>(items, 1)));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  PS_RETURN_IF_ERROR(first_error);
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::string truth = TruthJson(stats);
  const std::string path = dir + "/truth.json";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  Status st = WriteAll(fd, truth, path);
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno("close " + path, errno);
  PS_RETURN_IF_ERROR(st);
  return stats;
}

}  // namespace portstorm::sim
