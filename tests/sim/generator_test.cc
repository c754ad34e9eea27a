// The simulator end to end (issue 3, "Demo and tests"): the same seed gives
// the same bytes whatever the thread count; --scale changes volume, never the
// truth; every line written in every format parses back with portstorm's own
// parsers into the events Simulation::SensorDay made; each seed scenario's
// defining property holds in the generated events and in truth.json; the
// background carries the scanners' stack marks; `portstorm simulate` refuses
// bad arguments with a clear message.
//
// Runs are small (3-12 sensors, scale 0.05-1) so the suite stays fast under ASan.
#include "sim/generator.h"

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/time.h"
#include "parse/parser.h"
#include "sim/catalog.h"
#include "sim/log_writer.h"
#include "sim/scenario.h"

namespace portstorm::sim {
namespace {

namespace fs = std::filesystem;
namespace dom = simdjson::dom;

// ---------------------------------------------------------------------------
// Helpers

// A fresh directory name under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = (fs::temp_directory_path() /
             ("portstorm-simtest-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
                .string();
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int64_t Day(std::string_view text) {
  Result<int64_t> d = ParseDay(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : 0;
}

SimConfig Config(std::string_view start, int days, int sensors, double scale, uint64_t seed = 7) {
  SimConfig c;
  c.start_day = Day(start);
  c.days = days;
  c.sensors = sensors;
  c.scale = scale;
  c.seed = seed;
  c.threads = 1;
  return c;
}

std::unique_ptr<Simulation> MakeSim(const SimConfig& c, std::string_view scenario = "seeds") {
  Result<Scenario> sc = BuiltinScenario(scenario, c.days);
  if (!sc.ok()) {
    ADD_FAILURE() << sc.status().ToString();
    return nullptr;
  }
  Result<std::unique_ptr<Simulation>> sim = Simulation::Create(c, std::move(*sc));
  if (!sim.ok()) {
    ADD_FAILURE() << sim.status().ToString();
    return nullptr;
  }
  return std::move(*sim);
}

// data[sensor][day]: what Simulation::SensorDay gives.
using Data = std::vector<std::vector<std::vector<Event>>>;

Data Generate(const Simulation& sim) {
  Data data(sim.world().sensors.size());
  for (uint32_t s = 0; s < data.size(); ++s) {
    data[s].resize(static_cast<size_t>(sim.config().days));
    for (int d = 0; d < sim.config().days; ++d)
      sim.SensorDay(s, d, &data[s][static_cast<size_t>(d)]);
  }
  return data;
}

// Calls f(sensor, day, event) for every generated event.
template <typename F>
void ForEach(const Data& data, F&& f) {
  for (size_t s = 0; s < data.size(); ++s) {
    for (size_t d = 0; d < data[s].size(); ++d) {
      for (const Event& e : data[s][d]) f(static_cast<uint32_t>(s), static_cast<int>(d), e);
    }
  }
}

// truth.json without writing logs (stats zero).
std::string Truth(const Simulation& sim) {
  SimStats stats;
  stats.records_by_sensor.assign(sim.world().sensors.size(), 0);
  return sim.TruthJson(stats);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return lines;
}

// Field access on the truth document; a missing field fails the test.
std::string_view Str(dom::element e, const char* key) {
  std::string_view v;
  if (e[key].get_string().get(v)) ADD_FAILURE() << "truth: no string '" << key << "'";
  return v;
}
uint64_t U64(dom::element e, const char* key) {
  uint64_t v = 0;
  if (e[key].get_uint64().get(v)) ADD_FAILURE() << "truth: no integer '" << key << "'";
  return v;
}
double Dbl(dom::element e, const char* key) {
  double v = 0;
  if (e[key].get_double().get(v)) ADD_FAILURE() << "truth: no number '" << key << "'";
  return v;
}
dom::array Arr(dom::element e, const char* key) {
  dom::array v;
  if (e[key].get_array().get(v)) ADD_FAILURE() << "truth: no array '" << key << "'";
  return v;
}
std::vector<uint64_t> Ints(dom::element e, const char* key) {
  std::vector<uint64_t> out;
  for (dom::element x : Arr(e, key)) out.push_back(x.get_uint64().value_unsafe());
  return out;
}

uint32_t V4(std::string_view text) {
  std::optional<IpAddr> a = IpAddr::Parse(text);
  EXPECT_TRUE(a && a->is_v4()) << text;
  return a ? a->v4() : 0;
}

// The parsed truth of a run: the document plus its labels by address.
struct TruthDoc {
  dom::parser parser;
  dom::element root;
  int64_t start_day = 0;

  bool Load(const std::string& json) {
    auto r = parser.parse(json);
    if (r.error()) {
      ADD_FAILURE() << "truth.json: " << simdjson::error_message(r.error());
      return false;
    }
    root = r.value_unsafe();
    start_day = Day(Str(root["config"].value_unsafe(), "start"));
    return true;
  }
  // The first event of that kind.
  dom::element Event(std::string_view kind) const {
    for (dom::element e : Arr(root, "events")) {
      if (Str(e, "kind") == kind) return e;
    }
    ADD_FAILURE() << "truth has no event of kind " << kind;
    return {};
  }
  int DayOffset(std::string_view day) const { return static_cast<int>(Day(day) - start_day); }
};

// ip -> behaviour/stack of one label list.
struct Label {
  std::string behaviour, stack;
};
std::unordered_map<uint32_t, Label> Labels(dom::element owner) {
  std::unordered_map<uint32_t, Label> out;
  for (dom::element l : Arr(owner, "source_labels")) {
    out[V4(Str(l, "ip"))] = Label{std::string(Str(l, "behaviour")), std::string(Str(l, "stack"))};
  }
  return out;
}

bool Between(TimeUs gap, TimeUs lo_ms, TimeUs hi_ms) {
  return gap >= lo_ms * 1000 && gap <= hi_ms * 1000;
}

// ---------------------------------------------------------------------------
// Determinism

uint64_t Fnv1a(std::string_view data) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

struct FileInfo {
  uint64_t hash = 0, size = 0;
  int64_t mtime = 0;
  friend bool operator==(const FileInfo&, const FileInfo&) = default;
};

// relative path -> content hash, size and modification time, sorted by path.
std::map<std::string, FileInfo> Snapshot(const std::string& dir) {
  std::map<std::string, FileInfo> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    std::string data = ReadFile(path);
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    const std::string rel = fs::relative(entry.path(), dir).string();
    // Logs are dated the end of their day; truth.json keeps its write time.
    out[rel] = FileInfo{Fnv1a(data), data.size(),
                        rel == "truth.json" ? 0 : static_cast<int64_t>(st.st_mtime)};
  }
  return out;
}

TEST(SimDeterminism, SameSeedSameBytesAnyThreadCount) {
  SimConfig c = Config("2005-01-01", 21, 10, 0.2);
  TempDir one, three, other;
  auto a = MakeSim(c);
  c.threads = 3;
  auto b = MakeSim(c);
  c.seed = 8;
  auto d = MakeSim(c);
  ASSERT_TRUE(a && b && d);
  Result<SimStats> sa = a->Write(one.path());
  Result<SimStats> sb = b->Write(three.path());
  Result<SimStats> sd = d->Write(other.path());
  ASSERT_TRUE(sa.ok() && sb.ok() && sd.ok()) << sa.status().ToString();

  std::map<std::string, FileInfo> fa = Snapshot(one.path()), fb = Snapshot(three.path()),
                                  fd = Snapshot(other.path());
  EXPECT_EQ(fa.size(), fb.size());
  std::string differ;
  for (const auto& [path, info] : fa) {
    auto it = fb.find(path);
    if (it == fb.end() || !(it->second == info)) differ += " " + path;
  }
  EXPECT_EQ(differ, "") << "threads=1 and threads=3 differ";
  EXPECT_EQ(sa->records, sb->records);

  // The layout: one file per log of a non-silent sensor-day, named by
  // LogPath, dated the end of its day; truth.json; nothing else.
  const World& w = a->world();
  size_t expected = 1;
  for (const Sensor& s : w.sensors) {
    for (int day = 0; day < w.days; ++day) {
      for (size_t k = 0; k < s.LogCount(); ++k) {
        std::string rel =
            fs::relative(LogPath(one.path(), s, w.start_day + day, k), one.path()).string();
        auto it = fa.find(rel);
        if (s.Silent(day)) {
          EXPECT_EQ(it, fa.end()) << rel << " written on a silent day";
          continue;
        }
        ++expected;
        ASSERT_NE(it, fa.end()) << rel;
        EXPECT_EQ(it->second.mtime, (w.start_day + day + 1) * 86400 - 1) << rel;
      }
    }
  }
  // Seed 004's sensor writes three logs a day (ipchains, snort, p0f).
  ASSERT_GE(w.sensors.size(), 3u);
  EXPECT_EQ(w.sensors[1].LogCount(), 3u);
  EXPECT_EQ(fa.size(), expected);
  EXPECT_EQ(sa->files + 1, expected);
  EXPECT_TRUE(fa.contains("truth.json"));

  // Another seed: another world, and no log file equal to its namesake.
  EXPECT_NE(fa.at("truth.json").hash, fd.at("truth.json").hash);
  size_t same = 0, common = 0;
  for (const auto& [path, info] : fd) {
    auto it = fa.find(path);
    if (it == fa.end() || path == "truth.json") continue;
    ++common;
    same += it->second.hash == info.hash;
  }
  EXPECT_GT(common, 20u);  // s00-s02 have fixed names: files to compare exist
  EXPECT_EQ(same, 0u);
}

// The bytes of a fixed small run. The simulator promises the same bytes for a
// seed on every machine; this pins them. When the model changes on purpose,
// put the new value here (the failure prints it); when it changes without a
// model change (another compiler, standard library, libm or CPU), that is a
// determinism bug in src/sim.
TEST(SimDeterminism, GoldenHashOfAFixedRun) {
  Result<Scenario> sc = BuiltinScenario("seeds", 21);
  ASSERT_TRUE(sc.ok());
  EventSpec surge;  // a file-style surge too: its sources are keyed by its id
  surge.id = "golden-surge";
  surge.ports = {8443};
  surge.start = 4;
  surge.days = 3;
  surge.sources = 50;
  sc->events.push_back(surge);
  Result<std::unique_ptr<Simulation>> sim =
      Simulation::Create(Config("2005-01-01", 21, 4, 0.05), *sc);
  ASSERT_TRUE(sim.ok());
  TempDir dir;
  ASSERT_TRUE((*sim)->Write(dir.path()).ok());
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const auto& [path, info] : Snapshot(dir.path())) {
    for (uint64_t x : {Fnv1a(path), info.hash, info.size}) h = (h ^ x) * 0x100000001b3ULL;
  }
  EXPECT_EQ(h, 0x5f0b62712f8ab987ULL) << "new value: 0x" << std::hex << h;
}

// Regression (src/sim/truth.cc): TruthJson reads
// stats.records_by_sensor[s.index] without checking the size, so a default
// SimStats (a caller that only wants the truth) reads out of bounds.
TEST(SimDeterminism, TruthJsonWithDefaultStats) {
  auto sim = MakeSim(Config("2005-01-01", 3, 2, 0.1), "background");
  ASSERT_TRUE(sim);
  EXPECT_EXIT(
      {
        std::string truth = sim->TruthJson(SimStats{});
        std::exit(truth.find("\"records_by_sensor\"") != std::string::npos ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

// ---------------------------------------------------------------------------
// --scale

// truth.json up to its "stats" object, and the parsed stats.
std::string BeforeStats(const std::string& truth) {
  size_t at = truth.find("\"stats\"");
  EXPECT_NE(at, std::string::npos);
  return truth.substr(0, at);
}

TEST(SimScale, ChangesVolumeNotTruth) {
  SimConfig c = Config("2005-01-01", 21, 6, 1.0);
  c.threads = 2;
  TempDir full, half;
  auto a = MakeSim(c);
  c.scale = 0.5;
  auto b = MakeSim(c);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->Write(full.path()).ok());
  ASSERT_TRUE(b->Write(half.path()).ok());
  const std::string ta = ReadFile(full.path() + "/truth.json");
  const std::string tb = ReadFile(half.path() + "/truth.json");
  EXPECT_TRUE(BeforeStats(ta) == BeforeStats(tb)) << "truth outside \"stats\" depends on --scale";

  TruthDoc da, db;
  ASSERT_TRUE(da.Load(ta) && db.Load(tb));
  dom::element sa = da.root["stats"].value_unsafe(), sb = db.root["stats"].value_unsafe();
  EXPECT_EQ(Dbl(sa, "scale"), 1.0);
  EXPECT_EQ(Dbl(sb, "scale"), 0.5);
  const double ratio =
      static_cast<double>(U64(sb, "records")) / static_cast<double>(U64(sa, "records"));
  EXPECT_GT(ratio, 0.35);
  EXPECT_LT(ratio, 0.65);

  // The stats count what is on disk: packets per sensor (each logged in
  // every log of its sensor), files, bytes.
  uint64_t packets = 0, bytes = 0, files = 0;
  dom::object by_sensor;
  ASSERT_FALSE(sa["records_by_sensor"].get_object().get(by_sensor));
  std::vector<Event> day_events;
  for (const Sensor& s : a->world().sensors) {
    uint64_t n = 0;
    for (int day = 0; day < c.days; ++day) {
      a->SensorDay(s.index, day, &day_events);
      for (size_t k = 0; k < s.LogCount(); ++k) {
        const std::string path = LogPath(full.path(), s, a->world().start_day + day, k);
        if (!fs::exists(path)) continue;
        if (k == 0) n += day_events.size();
        bytes += ReadFile(path).size();
        ++files;
      }
    }
    uint64_t claimed = 0;
    EXPECT_FALSE(by_sensor[s.name].get_uint64().get(claimed)) << s.name;
    EXPECT_EQ(claimed, n) << s.name;
    packets += n;
  }
  EXPECT_EQ(U64(sa, "records"), packets);
  EXPECT_EQ(U64(sa, "bytes"), bytes);
  EXPECT_EQ(U64(sa, "files"), files);
}

// ---------------------------------------------------------------------------
// Round trip: files -> portstorm's parsers -> the events SensorDay made

struct Parsed {
  std::vector<Event> events;
  std::vector<std::string> hosts;
  std::vector<std::string> rejects;
  std::vector<std::pair<uint64_t, parse::Reason>> reject_lines;
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
    out_->reject_lines.emplace_back(line, reason);
  }

 private:
  Parsed* out_;
};

// "field: got X want Y; " for each field of `mask` that differs.
std::string Diff(const Event& got, const Event& want, uint32_t mask, TimeUs resolution) {
  namespace fl = field;
  std::string d;
  auto num = [&](uint32_t bit, const char* name, uint64_t g, uint64_t w) {
    if ((mask & bit) && g != w) {
      d += std::string(name) + ": got " + std::to_string(g) + " want " + std::to_string(w) + "; ";
    }
  };
  num(fl::kTime, "time", static_cast<uint64_t>(got.time),
      static_cast<uint64_t>(want.time - want.time % resolution));
  if ((mask & fl::kSrc) && got.src != want.src) d += "src: got " + got.src.ToString() + "; ";
  if ((mask & fl::kDst) && got.dst != want.dst) d += "dst: got " + got.dst.ToString() + "; ";
  num(fl::kSport, "sport", got.sport, want.sport);
  num(fl::kDport, "dport", got.dport, want.dport);
  num(fl::kProto, "proto", got.proto, want.proto);
  num(fl::kFlags, "tcp_flags", got.tcp_flags, want.tcp_flags);
  num(fl::kCount, "count", got.count, want.count);
  num(fl::kTtl, "ttl", got.ttl, want.ttl);
  num(fl::kIpLen, "ip_len", got.ip_len, want.ip_len);
  num(fl::kIpId, "ip_id", got.ip_id, want.ip_id);
  num(fl::kIpFlags, "ip_flags", got.ip_flags, want.ip_flags);
  num(fl::kSeq, "seq", got.seq, want.seq);
  num(fl::kWindow, "window", got.window, want.window);
  num(fl::kMss, "mss", got.mss, want.mss);
  num(fl::kWscale, "wscale", got.wscale, want.wscale);
  num(fl::kTcpOpts, "tcp_opts", got.tcp_opts, want.tcp_opts);
  num(fl::kPayloadLen, "payload_len", got.payload_len, want.payload_len);
  num(fl::kAction, "action", static_cast<uint64_t>(got.action), static_cast<uint64_t>(want.action));
  return d;
}

struct RoundTripCase {
  const char* format;  // "mixed" or a LogFormat name
  const char* start;
};

class SimRoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(SimRoundTrip, EveryLineParsesBackIntoItsEvent) {
  SimConfig c = Config(GetParam().start, 21, 8, 0.1);
  c.threads = 2;
  if (std::string_view(GetParam().format) != "mixed") {
    c.format = ParseLogFormat(GetParam().format);
    ASSERT_TRUE(c.format.has_value());
  }
  auto sim = MakeSim(c);
  ASSERT_TRUE(sim);
  TempDir dir;
  ASSERT_TRUE(sim->Write(dir.path()).ok());

  const World& w = sim->world();
  std::set<LogFormat> formats;
  uint64_t records = 0;
  std::vector<Event> events, want;
  for (const Sensor& s : w.sensors) {
    if (c.format) {
      EXPECT_EQ(s.style.format, *c.format) << s.name;
      EXPECT_EQ(s.LogCount(), 1u) << s.name;
    }
    for (int day = 0; day < w.days; ++day) {
      sim->SensorDay(s.index, day, &events);
      for (size_t log = 0; log < s.LogCount(); ++log) {
        const LogStyle& style = s.Log(log);
        formats.insert(style.format);
        const std::string path = LogPath(dir.path(), s, w.start_day + day, log);
        if (s.Silent(day)) {
          EXPECT_TRUE(events.empty());
          EXPECT_FALSE(fs::exists(path)) << path;
          continue;
        }
        SCOPED_TRACE(path);
        // The file is what the sensor's writer makes of the day's events; the
        // events it writes (p0f: SYNs only) are the ones to read back.
        auto writer = MakeLogWriter(style);
        ASSERT_NE(writer, nullptr);
        std::string expect_text;
        writer->Begin(&expect_text);
        // A file's header lines (W3C, Zeek, CSV) are "not a record"; nothing else may be rejected.
        const uint64_t header_lines =
            static_cast<uint64_t>(std::count(expect_text.begin(), expect_text.end(), '\n'));
        want.clear();
        for (const Event& e : events) {
          const size_t before = expect_text.size();
          writer->Write(e, &expect_text);
          if (expect_text.size() > before) want.push_back(e);
        }
        struct stat st {};
        ASSERT_EQ(::stat(path.c_str(), &st), 0);
        const std::string text = ReadFile(path);
        ASSERT_TRUE(text == expect_text) << "the file is not the writer's output";
        std::vector<std::string_view> lines = SplitLines(text);
        if (want.empty()) continue;

        // Found as ingest finds it: the detector names the log's format.
        std::vector<std::string_view> head(lines.begin(),
                                           lines.begin() + std::min<size_t>(lines.size(), 20));
        Result<const parse::FormatInfo*> detected = parse::DetectFormat(head);
        ASSERT_TRUE(detected.ok()) << detected.status().ToString();
        ASSERT_EQ((*detected)->name, LogFormatName(style.format));

        // RFC 3164 lines carry no year: it comes from the file time, as in ingest.
        parse::ParseOptions options;
        options.reference_time = static_cast<TimeUs>(st.st_mtime) * kUsPerSecond;
        Parsed parsed;
        CollectSink sink(&parsed);
        auto parser = (*detected)->make(options);
        uint64_t n = 0;
        for (std::string_view line : lines) parser->Line(line, ++n, sink);
        parser->Finish(sink);
        for (size_t r = 0; r < parsed.reject_lines.size(); ++r) {
          ASSERT_TRUE(parsed.reject_lines[r].first <= header_lines &&
                      parsed.reject_lines[r].second == parse::Reason::kNotARecord)
              << parsed.rejects.size() << " rejected, " << parsed.rejects[r];
        }
        ASSERT_EQ(parsed.events.size(), want.size());
        for (size_t k = 0; k < want.size(); ++k) {
          Event expect = want[k];
          // An anonymised target reads back as the anonymised form of the address.
          if (style.anonymise_dst && expect.dst.is_v4()) {
            ASSERT_TRUE(IpAddr::ParseAnonymisedV4("A.B.C." + std::to_string(expect.dst.v4() & 255),
                                                  &expect.dst));
          }
          std::string diff = Diff(parsed.events[k], expect, writer->Fields(expect.proto),
                                  writer->TimeResolution());
          ASSERT_EQ(diff, "") << "record " << k + 1;
          // The sensor is the host the line names; formats without one name none.
          if (!parsed.hosts[k].empty()) {
            ASSERT_EQ(parsed.hosts[k], s.name) << "record " << k + 1;
          }
        }
        records += want.size();
      }
    }
  }
  EXPECT_GT(records, 10000u);
  if (!c.format) {
    EXPECT_GE(formats.size(), 2u) << "mixed should mix";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Formats, SimRoundTrip,
    ::testing::Values(RoundTripCase{"netfilter", "2005-01-01"},
                      RoundTripCase{"dshield", "2005-01-01"},
                      RoundTripCase{"ipchains", "2005-01-01"},
                      RoundTripCase{"ims", "2005-01-01"},
                      RoundTripCase{"snort_full", "2005-01-01"}, RoundTripCase{"p0f", "2005-01-01"},
                      RoundTripCase{"snort_fast", "2005-01-01"},
                      RoundTripCase{"pfsense_filterlog", "2024-01-01"},
                      RoundTripCase{"pf", "2005-01-01"},
                      RoundTripCase{"windows_firewall", "2005-01-01"},
                      RoundTripCase{"mikrotik", "2024-01-01"},
                      RoundTripCase{"cisco_asa", "2005-01-01"},
                      RoundTripCase{"fortigate", "2024-01-01"},
                      RoundTripCase{"panos", "2024-01-01"},
                      RoundTripCase{"juniper_srx", "2024-01-01"},
                      RoundTripCase{"checkpoint", "2024-01-01"},
                      RoundTripCase{"suricata_eve", "2024-01-01"},
                      RoundTripCase{"zeek_conn", "2024-01-01"}, RoundTripCase{"csv", "2024-01-01"},
                      // Across New Year: the year of RFC 3164 lines rolls over mid-run.
                      RoundTripCase{"mixed", "2004-12-20"}, RoundTripCase{"mixed", "2024-01-01"}),
    [](const auto& info) {
      return std::string(info.param.format) + "_" + std::string(info.param.start).substr(0, 4);
    });

// ---------------------------------------------------------------------------
// The seed scenarios in the generated data. One 21-day run at scale 1 shared
// by the tests below (generated once).

struct SeedRun {
  std::unique_ptr<Simulation> sim;
  Data data;
  std::string truth_text;
  TruthDoc truth;
  bool ok = false;
};

const SeedRun& Seeds() {
  static const SeedRun* run = [] {
    auto* r = new SeedRun;
    r->sim = MakeSim(Config("2005-01-01", 21, 12, 1.0));
    if (!r->sim) return r;
    r->data = Generate(*r->sim);
    r->truth_text = Truth(*r->sim);
    r->ok = r->truth.Load(r->truth_text);
    return r;
  }();
  return *run;
}

class SeedScenario : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Seeds().ok); }
  const SeedRun& run() const { return Seeds(); }
  const World& world() const { return run().sim->world(); }
};

// tcp/5000, seed 002: thousands of Windows SYN scanners on every sensor, one
// address per /24, retransmitted after 3 s and 6 s, source ports 1025-5000.
TEST_F(SeedScenario, Tcp5000SynScanOneAddressPer24) {
  dom::element ev = run().truth.Event("syn-scan");
  dom::element findings = ev["findings"].value_unsafe();
  auto labels = Labels(ev);
  // (Distinct addresses: EverySourceAddressIsOneSource.)
  EXPECT_GE(labels.size(), U64(ev, "sources") * 99 / 100);
  EXPECT_GE(Dbl(findings, "one_address_per_24_share"), 0.95);
  EXPECT_EQ(Ints(findings, "source_port_range"), (std::vector<uint64_t>{1025, 5000}));
  EXPECT_EQ(Ints(findings, "retransmission_ms"), (std::vector<uint64_t>{0, 3000, 9000}));
  // One sensor, an IMS-style darknet, publishes its targets as A.B.C.<octet>.
  const Sensor& s2 = world().sensors[2];
  EXPECT_EQ(Str(findings, "anonymised_targets_sensor"), s2.name);
  EXPECT_EQ(s2.style.format, LogFormat::kIms);
  EXPECT_TRUE(s2.style.anonymise_dst);
  for (const Sensor& s : world().sensors) EXPECT_EQ(s.style.anonymise_dst, &s == &s2) << s.name;

  std::unordered_map<uint32_t, std::unordered_map<uint32_t, std::set<uint32_t>>> per24;
  std::map<std::tuple<uint32_t, uint32_t, uint16_t, uint32_t>, std::vector<Event>> attempts;
  std::set<uint32_t> sensors;
  uint64_t bad_sport = 0, not_syn = 0;
  ForEach(run().data, [&](uint32_t s, int, const Event& e) {
    if (e.proto != kProtoTcp || e.dport != 5000 || !labels.contains(e.src.v4())) return;
    sensors.insert(s);
    per24[e.src.v4()][e.dst.v4() & 0xffffff00u].insert(e.dst.v4());
    bad_sport += e.sport < 1025 || e.sport > 5000;
    not_syn += e.tcp_flags != tcp::kSyn;
    attempts[{e.src.v4(), e.dst.v4(), e.sport, e.seq}].push_back(e);
  });
  EXPECT_EQ(sensors.size(), world().sensors.size()) << "seen on every sensor";
  ASSERT_GE(per24.size(), 500u);
  size_t one = 0;
  for (const auto& [src, nets] : per24) {
    one +=
        std::all_of(nets.begin(), nets.end(), [](const auto& n) { return n.second.size() == 1; });
  }
  const double share = static_cast<double>(one) / static_cast<double>(per24.size());
  EXPECT_GE(share, 0.95) << one << " of " << per24.size();
  EXPECT_LT(share, 1.0) << "the few sources that spray a /24 should show";
  EXPECT_EQ(bad_sport, 0u);
  EXPECT_EQ(not_syn, 0u);

  // Windows XP: the SYN and two retransmissions, same port and sequence, +3 s, +6 s.
  size_t bad = 0;
  std::string example;
  for (auto& [key, pkts] : attempts) {
    std::sort(pkts.begin(), pkts.end(),
              [](const Event& a, const Event& b) { return a.time < b.time; });
    bool good = pkts.size() == 3 && Between(pkts[1].time - pkts[0].time, 3000, 3020) &&
                Between(pkts[2].time - pkts[1].time, 5980, 6020);
    if (!good && bad++ == 0) {
      example = std::to_string(pkts.size()) + " packets from " + pkts[0].src.ToString();
    }
  }
  EXPECT_GT(attempts.size(), 1000u);
  EXPECT_EQ(bad, 0u) << "attempts without the 0/3/9 s schedule, e.g. " << example;
}

// Regression (src/sim/events.cc SynScan): each source sprays a /24
// with probability kRandomShare = 0.04, drawn per source, so the share that
// keeps to one address per /24 is 0.96 only on average: seed 10 gives 0.947
// in truth.json, under the >= 95% that issue 3 promises for every run (seed 7
// gives 0.954, and 0.943 measured on a 5-sensor run).
TEST(SimSeeds, SynScanOneAddressShareHoldsForEverySeed) {
  Result<Scenario> seeds = BuiltinScenario("seeds", 21);
  ASSERT_TRUE(seeds.ok());
  std::string low;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Scenario sc;
    sc.name = "syn-scan";
    sc.background.sources = 100;  // the world is not under test here
    for (const EventSpec& e : seeds->events) {
      if (e.kind == EventKind::kSynScan) sc.events.push_back(e);
    }
    ASSERT_EQ(sc.events.size(), 1u);
    Result<std::unique_ptr<Simulation>> sim =
        Simulation::Create(Config("2005-01-01", 21, 3, 1.0, seed), sc);
    ASSERT_TRUE(sim.ok());
    TruthDoc truth;
    ASSERT_TRUE(truth.Load(Truth(**sim)));
    const double share =
        Dbl(truth.Event("syn-scan")["findings"].value_unsafe(), "one_address_per_24_share");
    if (share < 0.95) low += " seed " + std::to_string(seed) + ": " + std::to_string(share);
  }
  EXPECT_EQ(low, "") << "one_address_per_24_share under 0.95";
}

// (proto, port) record counts of one sensor-day.
std::map<uint32_t, uint64_t> PortCounts(const std::vector<Event>& events) {
  std::map<uint32_t, uint64_t> counts;
  for (const Event& e : events) ++counts[(uint32_t{e.proto} << 16) | e.dport];
  return counts;
}
// 1 + the number of keys with more records than `key` (its rank, ties in its favour).
size_t Rank(const std::map<uint32_t, uint64_t>& counts, uint32_t key) {
  auto it = counts.find(key);
  uint64_t c = it == counts.end() ? 0 : it->second;
  size_t above = 0;
  for (const auto& [k, n] : counts) above += k != key && n > c;
  return 1 + above;
}

// tcp/3771, seed 000: below the top ten for weeks at sensor 0, then #3 with
// ~80% from one source to one address; the next day many more sources.
TEST_F(SeedScenario, Tcp3771JumpsToThirdAtOneSensor) {
  dom::element ev = run().truth.Event("rare-port-jump");
  dom::element findings = ev["findings"].value_unsafe();
  const int surge = run().truth.DayOffset(Str(findings, "surge_day"));
  const int start = run().truth.DayOffset(Str(ev, "start"));
  ASSERT_GT(surge, start);
  ASSERT_LT(surge + 1, world().days);
  EXPECT_EQ(Str(findings, "surge_sensor"), world().sensors[0].name);
  EXPECT_EQ(U64(findings, "rank_at_surge_sensor"), 3u);
  const uint32_t top = V4(Str(findings, "top_source"));
  const uint32_t target = V4(Str(findings, "target"));
  EXPECT_TRUE(world().sensors[0].Watches(target, surge));
  constexpr uint32_t kKey = (uint32_t{kProtoTcp} << 16) | 3771;

  const auto& s0 = run().data[0];
  auto day_events = [&](int d) -> const std::vector<Event>& { return s0[static_cast<size_t>(d)]; };
  EXPECT_EQ(Rank(PortCounts(day_events(surge)), kKey), 3u);
  // The background has its own quiet tcp/3771 (catalog weight 0.02); the
  // event's trickle is told apart by its sources.
  auto labels = Labels(ev);
  uint64_t early = 0, late = 0;
  for (int d = 0; d < surge; ++d) {
    EXPECT_GT(Rank(PortCounts(day_events(d)), kKey), 10u)
        << "day " << d << ": in the top ten before the jump";
    uint64_t n = 0;
    for (const Event& e : day_events(d)) {
      n += e.proto == kProtoTcp && e.dport == 3771 && labels.contains(e.src.v4());
    }
    if (d < start) {
      EXPECT_EQ(n, 0u) << "day " << d << ": before the event";
    }
    (d < start + (surge - start) / 2 ? early : late) += n;
  }
  EXPECT_GT(early, 0u) << "the trickle runs for weeks before the jump";
  EXPECT_GT(late, early) << "and grows";

  auto sources = [&](int d, uint64_t* total, uint64_t* from_top, uint64_t* to_target) {
    std::set<uint32_t> srcs;
    *total = *from_top = *to_target = 0;
    for (const Event& e : day_events(d)) {
      if (e.proto != kProtoTcp || e.dport != 3771) continue;
      srcs.insert(e.src.v4());
      ++*total;
      *from_top += e.src.v4() == top;
      *to_target += e.dst.v4() == target;
    }
    return srcs.size();
  };
  uint64_t total, from_top, to_target;
  const size_t on_surge = sources(surge, &total, &from_top, &to_target);
  ASSERT_GT(total, 0u);
  const double top_share = static_cast<double>(from_top) / static_cast<double>(total);
  EXPECT_GE(top_share, 0.70);
  EXPECT_LE(top_share, 0.85);
  EXPECT_GE(static_cast<double>(to_target) / static_cast<double>(total), 0.8)
      << "most hits to one address";
  const size_t next = sources(surge + 1, &total, &from_top, &to_target);
  EXPECT_GT(next, on_surge) << "the next day brings a wider variety of sources";
}

// udp/1026-1031, seeds 001 and 003: ~5,000 sources, 2-byte payloads, crafted
// source ports 666/4177, the shift to 1026 and 1030, NetBIOS 137, outbound hosts.
TEST_F(SeedScenario, Udp1026To1031WormScouting) {
  dom::element ev = run().truth.Event("worm-scouting");
  dom::element findings = ev["findings"].value_unsafe();
  auto labels = Labels(ev);
  // (Distinct addresses: EverySourceAddressIsOneSource.)
  EXPECT_GE(labels.size(), U64(ev, "sources") * 99 / 100);
  EXPECT_GE(labels.size(), 4500u);
  EXPECT_LE(labels.size(), 5500u);
  const int shift = run().truth.DayOffset(Str(findings, "shift_day"));

  std::unordered_set<uint32_t> crafted;
  for (const auto& [ip, l] : labels) {
    if (l.behaviour == "popup-spam") crafted.insert(ip);
  }
  EXPECT_GE(crafted.size(), U64(findings, "crafted_sources") * 99 / 100);
  EXPECT_LE(crafted.size(), U64(findings, "crafted_sources"));
  EXPECT_GT(crafted.size(), 0u);
  EXPECT_LT(crafted.size(), labels.size() / 4) << "most sources use natural ports";

  std::unordered_set<uint32_t> scouts, netbios;
  std::unordered_map<uint32_t, std::set<uint16_t>> crafted_ports;
  uint64_t bad_payload = 0, bad_netbios = 0, udp135 = 0;
  uint64_t before = 0, before_1026_1030 = 0, after = 0, after_1026_1030 = 0;
  ForEach(run().data, [&](uint32_t, int d, const Event& e) {
    if (e.proto != kProtoUdp || !labels.contains(e.src.v4())) return;
    const uint32_t src = e.src.v4();
    if (e.dport >= 1026 && e.dport <= 1031) {
      scouts.insert(src);
      bad_payload += e.payload_len != 2;
      if (crafted.contains(src)) crafted_ports[src].insert(e.sport);
      const bool hot = e.dport == 1026 || e.dport == 1030;
      (d < shift ? before : after) += 1;
      (d < shift ? before_1026_1030 : after_1026_1030) += hot;
    } else if (e.dport == 135) {
      ++udp135;
      bad_payload += e.payload_len != 2;
    } else if (e.dport == 137) {
      netbios.insert(src);
      bad_netbios += e.payload_len != 50;
    }
  });
  EXPECT_GE(scouts.size(), 2500u) << "thousands of sources seen";
  EXPECT_EQ(bad_payload, 0u) << "the 00 00 payload is 2 bytes";
  EXPECT_GT(udp135, 0u);
  EXPECT_GT(netbios.size(), 0u);
  EXPECT_EQ(bad_netbios, 0u) << "NetBIOS name query: 50 bytes";
  for (uint32_t ip : netbios) EXPECT_TRUE(scouts.contains(ip)) << "udp/137 from a non-scout";

  ASSERT_FALSE(crafted_ports.empty());
  for (const auto& [ip, ports] : crafted_ports) {
    EXPECT_EQ(ports.size(), 1u) << IpAddr::V4(ip).ToString() << ": one fixed source port";
    for (uint16_t p : ports)
      EXPECT_TRUE(p == 666 || p == 4177) << IpAddr::V4(ip).ToString() << " " << p;
  }

  ASSERT_GT(before, 1000u);
  ASSERT_GT(after, 1000u);
  const double share_before = static_cast<double>(before_1026_1030) / static_cast<double>(before);
  const double share_after = static_cast<double>(after_1026_1030) / static_cast<double>(after);
  EXPECT_LT(share_before, 0.45);
  EXPECT_GT(share_after, 0.6);

  // Outbound: hosts inside one sensor's own networks send it too.
  dom::element outbound = findings["outbound"].value_unsafe();
  const std::string_view sensor_name = Str(outbound, "sensor");
  const Sensor* sensor = nullptr;
  for (const Sensor& s : world().sensors) {
    if (s.name == sensor_name) sensor = &s;
  }
  ASSERT_NE(sensor, nullptr) << sensor_name;
  std::vector<std::string> nets;
  for (dom::element s : Arr(run().truth.root, "sensors")) {
    if (Str(s, "name") != sensor_name) continue;
    for (dom::element n : Arr(s, "networks")) nets.emplace_back(n.get_string().value_unsafe());
  }
  ASSERT_FALSE(nets.empty()) << sensor_name << " has networks";
  size_t n_out = 0;
  for (dom::element ip_el : Arr(outbound, "sources")) {
    const uint32_t ip = V4(ip_el.get_string().value_unsafe());
    ++n_out;
    const std::string net = IpAddr::V4(ip & 0xffffff00u).ToString() + "/24";
    EXPECT_NE(std::find(nets.begin(), nets.end(), net), nets.end()) << IpAddr::V4(ip).ToString();
    uint64_t sent = 0, inbound = 0;
    for (int d = 0; d < world().days; ++d) {
      for (const Event& e : run().data[sensor->index][static_cast<size_t>(d)]) {
        if (e.src.v4() != ip) continue;
        ++sent;
        inbound += sensor->Watches(e.dst.v4(), d);
      }
    }
    EXPECT_GT(sent, 0u) << IpAddr::V4(ip).ToString() << " never appears at " << sensor_name;
    EXPECT_EQ(inbound, 0u) << "outbound probes leave the network";
  }
  EXPECT_GT(n_out, 0u);
}

// tcp/6346, seed 004: stale Gnutella peers calling one reused dial-up address,
// Windows 95/NT4 SYNs at 0, 3, 9 s with one sequence number.
TEST_F(SeedScenario, Tcp6346StalePeerRetries) {
  dom::element ev = run().truth.Event("stale-peer");
  dom::element findings = ev["findings"].value_unsafe();
  auto labels = Labels(ev);
  ASSERT_FALSE(labels.empty());
  for (const auto& [ip, l] : labels) {
    EXPECT_EQ(l.stack, "windows-95-nt4");
    EXPECT_EQ(l.behaviour, "p2p-stale-peer");
  }
  const Sensor& s1 = world().sensors[1];
  const uint32_t target = V4(Str(findings, "target"));
  EXPECT_EQ(Str(findings, "sensor"), s1.name);
  EXPECT_EQ(U64(findings, "ttl"), 117u);
  EXPECT_EQ(U64(findings, "window"), 5840u);
  EXPECT_EQ(Str(findings, "tcp_options"), "M1460,N,N,S");
  EXPECT_EQ(Ints(findings, "retransmission_ms"), (std::vector<uint64_t>{0, 3000, 9000}));
  // Every packet three times: the firewall's log, snort's packet dump, p0f.
  EXPECT_EQ(U64(findings, "logged_times"), 3u);
  ASSERT_EQ(s1.more_logs.size(), 2u);
  EXPECT_EQ(s1.more_logs[0].format, LogFormat::kSnortFull);
  EXPECT_EQ(s1.more_logs[1].format, LogFormat::kP0f);
  const int start = run().truth.DayOffset(Str(ev, "start"));
  for (int d = start; d < world().days; ++d) EXPECT_EQ(s1.AddressOn(d), target) << "day " << d;

  std::map<std::tuple<uint32_t, uint16_t, uint32_t>, std::vector<Event>> attempts;
  uint64_t elsewhere = 0, wrong_dst = 0, wrong_shape = 0;
  ForEach(run().data, [&](uint32_t s, int, const Event& e) {
    if (e.proto != kProtoTcp || e.dport != 6346 || !labels.contains(e.src.v4())) return;
    elsewhere += s != 1;
    wrong_dst += e.dst.v4() != target;
    wrong_shape += e.ttl != 117 || e.window != 5840 || e.mss != 1460 ||
                   TcpOptsString(e) != "M1460,N,N,S" || e.ip_len != 48 || e.ip_flags != ipf::kDf ||
                   e.tcp_flags != tcp::kSyn;
    attempts[{e.src.v4(), e.sport, e.seq}].push_back(e);
  });
  EXPECT_EQ(elsewhere, 0u) << "only the dial-up sensor gets the stale peers";
  EXPECT_EQ(wrong_dst, 0u);
  EXPECT_EQ(wrong_shape, 0u) << "TTL 117, window 5840, MSS 1460 NOP NOP SackOK, DF, 48 bytes";
  ASSERT_GE(attempts.size(), 40u);
  size_t bad_timing = 0, bad_ip_id = 0;
  for (auto& [key, pkts] : attempts) {
    std::sort(pkts.begin(), pkts.end(),
              [](const Event& a, const Event& b) { return a.time < b.time; });
    if (pkts.size() != 3 || !Between(pkts[1].time - pkts[0].time, 3000, 3020) ||
        !Between(pkts[2].time - pkts[1].time, 5980, 6020)) {
      ++bad_timing;
      continue;
    }
    // One IP ID counter for the host's traffic: it moves forward (mod 2^16) by
    // a few per second, as 31988 -> 32007 -> 32053 in the seed.
    for (size_t i = 1; i < 3; ++i) {
      const uint16_t step = static_cast<uint16_t>(pkts[i].ip_id - pkts[i - 1].ip_id);
      bad_ip_id += step == 0 || step > 1000;
    }
  }
  EXPECT_EQ(bad_timing, 0u) << "of " << attempts.size() << " attempts";
  EXPECT_EQ(bad_ip_id, 0u);
}

// A dishonest submitter: its port rises at one sensor only, on its one day.
TEST_F(SeedScenario, FabricatedSurgeAtOneSensorOnly) {
  dom::element ev = run().truth.Event("fabricated");
  dom::element findings = ev["findings"].value_unsafe();
  auto labels = Labels(ev);
  auto ports = Ints(ev, "ports");
  ASSERT_EQ(ports.size(), 1u);
  const uint16_t port = static_cast<uint16_t>(ports[0]);
  const int day = run().truth.DayOffset(Str(ev, "start"));
  EXPECT_EQ(Str(ev, "end"), Str(ev, "start"));
  const std::string_view sensor_name = Str(findings, "sensor");
  auto sensors = Arr(ev, "sensors");
  ASSERT_EQ(sensors.size(), 1u);
  EXPECT_EQ(sensors.at(0).get_string().value_unsafe(), sensor_name);
  bool global = true;
  EXPECT_FALSE(findings["global_surge"].get_bool().get(global));
  EXPECT_FALSE(global);

  std::set<std::string> with_fabricated;
  uint64_t fabricated = 0, at_sensor_that_day = 0, elsewhere_that_day = 0;
  ForEach(run().data, [&](uint32_t s, int d, const Event& e) {
    if (e.proto != kProtoTcp || e.dport != port) return;
    const bool here = world().sensors[s].name == sensor_name;
    if (d == day) (here ? at_sensor_that_day : elsewhere_that_day) += 1;
    if (!labels.contains(e.src.v4())) return;
    ++fabricated;
    with_fabricated.insert(world().sensors[s].name);
    EXPECT_EQ(d, day);
  });
  EXPECT_EQ(with_fabricated, std::set<std::string>{std::string(sensor_name)});
  EXPECT_GE(fabricated, labels.size()) << "every made-up source has records";
  EXPECT_LE(elsewhere_that_day * 50, at_sensor_that_day)
      << "the port is quiet at every other sensor";
}

// Quiet stretch: no event source sends anything; background only.
TEST_F(SeedScenario, QuietStretchHasNoEventTraffic) {
  dom::element quiet = run().truth.Event("quiet");
  const int from = run().truth.DayOffset(Str(quiet, "start"));
  const int to = run().truth.DayOffset(Str(quiet, "end"));
  ASSERT_LE(from, to);
  EXPECT_EQ(U64(quiet, "sources"), 0u);
  EXPECT_EQ(Str(quiet["findings"].value_unsafe(), "expected"), "none");

  auto background = Labels(run().truth.root["background"].value_unsafe());
  std::unordered_set<uint32_t> event_sources;
  for (dom::element ev : Arr(run().truth.root, "events")) {
    for (const auto& [ip, l] : Labels(ev)) {
      if (!background.contains(ip)) event_sources.insert(ip);
    }
  }
  ASSERT_GT(event_sources.size(), 5000u);
  uint64_t in_quiet = 0, outside = 0, quiet_records = 0;
  ForEach(run().data, [&](uint32_t, int d, const Event& e) {
    const bool q = d >= from && d <= to;
    quiet_records += q;
    if (event_sources.contains(e.src.v4())) (q ? in_quiet : outside) += 1;
  });
  EXPECT_GT(quiet_records, 10000u) << "the background goes on";
  EXPECT_EQ(in_quiet, 0u);
  EXPECT_GT(outside, 10000u);
}

// Truth must label every source that appears in the logs (classification
// accuracy is measured against these labels).
TEST_F(SeedScenario, EverySourceInTheLogsIsLabelled) {
  std::unordered_set<uint32_t> labelled;
  for (const auto& [ip, l] : Labels(run().truth.root["background"].value_unsafe()))
    labelled.insert(ip);
  for (dom::element ev : Arr(run().truth.root, "events")) {
    for (const auto& [ip, l] : Labels(ev)) labelled.insert(ip);
  }
  std::set<uint32_t> unlabelled;
  ForEach(run().data, [&](uint32_t, int, const Event& e) {
    if (!labelled.contains(e.src.v4())) unlabelled.insert(e.src.v4());
  });
  std::string list;
  for (uint32_t ip : unlabelled) list += IpAddr::V4(ip).ToString() + " ";
  EXPECT_TRUE(unlabelled.empty()) << unlabelled.size() << " unlabelled sources: " << list;
}

// Regression (src/sim/world.cc BuildWorld and src/sim/events.cc
// MakeSources): source addresses are drawn with replacement from ISP /16
// pools, so two sources can share an address. With seed 7, tcp5000-syn-scan
// has 3000 sources on 2999 addresses, and the background has 24 addresses
// labelled twice (23 of them with different behaviour or stack): a detector
// cannot match "sources": 3000, and classification accuracy has no single
// right answer for those addresses.
TEST_F(SeedScenario, EverySourceAddressIsOneSource) {
  std::map<uint32_t, std::vector<std::string>> owners;
  auto add = [&](dom::element owner, const std::string& name) {
    for (dom::element l : Arr(owner, "source_labels")) owners[V4(Str(l, "ip"))].push_back(name);
  };
  add(run().truth.root["background"].value_unsafe(), "background");
  for (dom::element ev : Arr(run().truth.root, "events")) add(ev, std::string(Str(ev, "id")));
  std::string shared;
  size_t n = 0;
  for (const auto& [ip, names] : owners) {
    if (names.size() < 2) continue;
    if (n++ < 5) {
      shared += IpAddr::V4(ip).ToString() + " (";
      for (const std::string& s : names) shared += s + " ";
      shared += ") ";
    }
  }
  EXPECT_EQ(n, 0u) << "addresses labelled more than once, e.g. " << shared;
}

// ---------------------------------------------------------------------------
// Stack marks in today's background: ZMap's IP ID 54321, masscan's
// IP ID = dst ^ dport ^ seq, Mirai's seq = dst.

// --format mixed draws from the formats of each era (docs/simulator.md, "Formats").
TEST(SimWorld, MixedDrawsEachErasFormats) {
  for (const char* start : {"2005-01-01", "2024-01-01"}) {
    auto sim = MakeSim(Config(start, 2, 200, 0.05), "background");
    ASSERT_TRUE(sim);
    std::set<LogFormat> formats;
    for (const Sensor& s : sim->world().sensors) formats.insert(s.style.format);
    const bool today = std::string_view(start) == "2024-01-01";
    EXPECT_FALSE(formats.contains(LogFormat::kCsv)) << start;
    EXPECT_EQ(formats.contains(LogFormat::kSuricataEve), today) << start;
    EXPECT_EQ(formats.contains(LogFormat::kIpchains), !today) << start;
    EXPECT_GE(formats.size(), today ? 14u : 8u) << start;  // with s02's IMS
  }
}

TEST(SimStacks, ScannerMarksInTodaysBackground) {
  auto sim = MakeSim(Config("2024-01-01", 7, 8, 0.5), "background");
  ASSERT_TRUE(sim);
  TruthDoc truth;
  ASSERT_TRUE(truth.Load(Truth(*sim)));
  EXPECT_EQ(Str(truth.root["config"].value_unsafe(), "era"), "today");
  // Background addresses can repeat (ISP pools); an address with two stacks
  // cannot be attributed and is left out.
  std::unordered_map<uint32_t, std::string> stack;
  std::unordered_set<uint32_t> ambiguous;
  for (dom::element l : Arr(truth.root["background"].value_unsafe(), "source_labels")) {
    const uint32_t ip = V4(Str(l, "ip"));
    std::string st(Str(l, "stack"));
    auto [it, fresh] = stack.emplace(ip, st);
    if (!fresh && it->second != st) ambiguous.insert(ip);
  }
  for (uint32_t ip : ambiguous) stack.erase(ip);

  uint64_t zmap = 0, zmap_bad = 0, id54321 = 0, id54321_zmap = 0;
  uint64_t masscan = 0, masscan_bad = 0, mirai = 0, mirai_bad = 0;
  Data data = Generate(*sim);
  ForEach(data, [&](uint32_t, int, const Event& e) {
    auto it = stack.find(e.src.v4());
    const std::string_view st = it == stack.end() ? "" : std::string_view(it->second);
    if (e.ip_id == 54321) {
      ++id54321;
      id54321_zmap += st == "zmap";
    }
    if (st == "zmap") {
      ++zmap;
      zmap_bad += e.ip_id != 54321;
    } else if (st == "masscan" && (e.proto == kProtoTcp || e.proto == kProtoUdp)) {
      ++masscan;
      masscan_bad += e.ip_id != static_cast<uint16_t>(e.dst.v4() ^ e.dport ^ e.seq);
    } else if (st == "mirai" && e.proto == kProtoTcp && e.tcp_flags == tcp::kSyn) {
      ++mirai;
      mirai_bad += e.seq != e.dst.v4();
    }
  });
  EXPECT_GT(zmap, 100u);
  EXPECT_GT(masscan, 100u);
  EXPECT_GT(mirai, 100u);
  EXPECT_EQ(zmap_bad, 0u);
  EXPECT_EQ(masscan_bad, 0u);
  EXPECT_EQ(mirai_bad, 0u);
  // Random IP IDs hit 54321 once in 65536 packets; nearly all are ZMap's.
  EXPECT_GE(static_cast<double>(id54321_zmap), 0.95 * static_cast<double>(id54321));
}

// ---------------------------------------------------------------------------
// The CLI refuses bad arguments

// Runs a shell command; returns (exit code, stdout+stderr).
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int st = ::pclose(p);
  return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
}

std::string Simulate(const std::string& args) {
  return std::string(PORTSTORM_BIN) + " simulate " + args;
}

TEST(SimCli, RefusesBadArguments) {
  TempDir dir;
  const std::string out = " --out " + dir.path();
  struct Case {
    std::string args;
    int code;  // 2: invalid argument; -2: any non-zero (CLI11's own)
    std::string message;
  } cases[] = {
      {"--days 0" + out, 2, "--days must be 1..3660"},
      {"--days 4000" + out, 2, "--days must be 1..3660"},
      {"--sensors 0" + out, 2, "--sensors must be 1..100000"},
      {"--scale 0" + out, 2, "--scale must be > 0"},
      {"--format nope" + out, 2, "--format nope: not a format the simulator writes"},
      {"--scenario nope" + out, 2, "unknown scenario 'nope'"},
      {"--start 2005-02-30" + out, 2, "'2005-02-30' is not a date"},
      {"--days 2", -2, "--out is required"},
  };
  for (const Case& c : cases) {
    auto [rc, text] = Shell(Simulate(c.args));
    if (c.code > 0) {
      EXPECT_EQ(rc, c.code) << c.args << "\n" << text;
    } else {
      EXPECT_NE(rc, 0) << c.args << "\n" << text;
    }
    EXPECT_NE(text.find(c.message), std::string::npos) << c.args << " said:\n" << text;
    EXPECT_FALSE(fs::exists(dir.path())) << c.args << ": wrote output before failing";
  }
}

TEST(SimCli, SmallRunWritesLogsAndTruth) {
  TempDir dir;
  auto [rc, text] =
      Shell(Simulate("--days 2 --sensors 3 --scale 0.05 --seed 3 --out " + dir.path()));
  ASSERT_EQ(rc, 0) << text;
  EXPECT_NE(text.find("simulated 2 days x 3 sensors (seeds)"), std::string::npos) << text;
  EXPECT_TRUE(fs::exists(dir.path() + "/truth.json"));
  EXPECT_TRUE(fs::exists(dir.path() + "/s00-border/2005-01-01.log"));
  EXPECT_TRUE(fs::exists(dir.path() + "/s02-darknet/2005-01-02.log"));  // IMS, seed 002
  EXPECT_TRUE(fs::exists(dir.path() + "/s01-dynamic/2005-01-02.snort_full.log"));  // seed 004
  EXPECT_TRUE(fs::exists(dir.path() + "/s01-dynamic/2005-01-02.p0f.log"));
  // Old logs would no longer match a new truth.json: a used --out is refused.
  auto [rc_used, used] = Shell(Simulate("--days 1 --sensors 1 --scale 0.05 --out " + dir.path()));
  EXPECT_EQ(rc_used, 2);
  EXPECT_NE(used.find("directory is not empty"), std::string::npos) << used;
  auto [rc2, quiet] =
      Shell(Simulate("--days 1 --sensors 1 --scale 0.05 --quiet --out " + dir.path() + "/again"));
  EXPECT_EQ(rc2, 0);
  EXPECT_EQ(quiet, "") << "--quiet prints nothing";
}

// What the demo does, end to end: every simulated packet is stored exactly
// once, though seed 004's sensor logged its packets three times (merged), and
// IMS lines, which name no host, land at their directory's sensor.
TEST(SimCli, IngestStoresEveryPacketOnce) {
  TempDir dir;
  const std::string sim = dir.path() + "/sim", store = dir.path() + "/store";
  auto [rc, text] = Shell(Simulate("--days 6 --sensors 4 --scale 0.2 --seed 5 --quiet --out " + sim));
  ASSERT_EQ(rc, 0) << text;
  TruthDoc truth;
  ASSERT_TRUE(truth.Load(ReadFile(sim + "/truth.json")));
  const uint64_t records = U64(truth.root["stats"].value_unsafe(), "records");
  auto [rc_in, summary] = Shell(std::string(PORTSTORM_BIN) + " --store " + store +
                                " ingest --sensor-from-dir " + sim + "/s*/*");
  ASSERT_EQ(rc_in, 0) << summary;
  std::string n = std::to_string(records);
  for (int i = static_cast<int>(n.size()) - 3; i > 0; i -= 3) n.insert(static_cast<size_t>(i), ",");
  EXPECT_NE(summary.find(" " + n + " records stored"), std::string::npos)
      << records << " packets simulated; ingest said:\n" << summary;
  EXPECT_NE(summary.find(" 0 rejected"), std::string::npos) << summary;
  EXPECT_NE(summary.find(" records merged"), std::string::npos) << summary;
  EXPECT_EQ(summary.find(" 0 records merged"), std::string::npos) << summary;
  auto [rc_rep, ports] = Shell(std::string(PORTSTORM_BIN) + " --store " + store +
                               " report ports --day 2005-01-05 --output tsv"
                               " --filter 'sensor s02-darknet'");
  ASSERT_EQ(rc_rep, 0) << ports;
  EXPECT_GT(std::count(ports.begin(), ports.end(), '\n'), 5) << ports;
}

}  // namespace
}  // namespace portstorm::sim
