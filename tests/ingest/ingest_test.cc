#include "ingest/ingest.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "store/store.h"

namespace portstorm::ingest {
namespace {

namespace fs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ps-ingest-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::Store::Open((dir_ / "store").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  static std::string Line(int i, const char* host = "fw") {
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "Jan 11 10:%02d:%02d %s kernel: DROP IN=eth0 OUT= SRC=198.51.100.%d DST=192.0.2.1 "
                  "LEN=48 TTL=113 ID=%d DF PROTO=TCP SPT=%d DPT=%d WINDOW=65535 SYN URGP=0\n",
                  i / 60 % 60, i % 60, host, i % 250 + 1, i, 1024 + i, 1 + i % 50);
    return buf;
  }
  std::string Write(const std::string& name, const std::string& text, bool append = false) {
    std::string p = (dir_ / name).string();
    std::ofstream f(p, append ? std::ios::app : std::ios::trunc);
    f << text;
    return p;
  }
  static std::string Lines(int from, int to) {
    std::string s;
    for (int i = from; i < to; ++i) s += Line(i);
    return s;
  }
  IngestOptions Options() {
    IngestOptions o;
    o.parse.year = 2005;
    o.batch_events = 64;
    return o;
  }
  uint64_t Stored() {
    uint64_t n = 0;
    EXPECT_TRUE(store_->Scan({}, [&](std::span<const Event> b) {
      n += b.size();
      return Status::Ok();
    }).ok());
    return n;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IngestTest, SameFileTwiceIsStoredOnce) {
  std::string p = Write("a.log", Lines(0, 300));
  Ingester first(store_.get(), Options());
  ASSERT_TRUE(first.IngestInput(p).ok());
  EXPECT_EQ(first.stats().records, 300u);
  EXPECT_EQ(first.stats().lines, 300u);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Stored(), 300u);

  Ingester again(store_.get(), Options());
  ASSERT_TRUE(again.IngestInput(p).ok());
  EXPECT_EQ(again.stats().records, 0u);
  EXPECT_EQ(again.stats().duplicate_lines, 300u);
  // Under another name, the same content is the same input.
  std::string copy = Write("copy.log", Lines(0, 300));
  ASSERT_TRUE(again.IngestInput(copy).ok());
  EXPECT_EQ(again.stats().records, 0u);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Stored(), 300u);
}

TEST_F(IngestTest, GrownFileResumesWhereItStopped) {
  // Starts below the 4 KiB identity prefix and grows past it.
  std::string p = Write("grow.log", Lines(0, 10));
  Ingester a(store_.get(), Options());
  ASSERT_TRUE(a.IngestInput(p).ok());
  EXPECT_EQ(a.stats().records, 10u);
  Write("grow.log", Lines(10, 200), /*append=*/true);
  Ingester b(store_.get(), Options());
  ASSERT_TRUE(b.IngestInput(p).ok());
  EXPECT_EQ(b.stats().records, 190u);
  EXPECT_EQ(b.stats().duplicate_lines, 10u);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Stored(), 200u);
}

TEST_F(IngestTest, ProgressSurvivesReopen) {
  std::string p = Write("a.log", Lines(0, 100));
  {
    Ingester a(store_.get(), Options());
    ASSERT_TRUE(a.IngestInput(p).ok());
  }
  ASSERT_TRUE(store_->Close().ok());
  store_.reset();
  auto s = store::Store::Open((dir_ / "store").string());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(*s);
  Ingester b(store_.get(), Options());
  ASSERT_TRUE(b.IngestInput(p).ok());
  EXPECT_EQ(b.stats().records, 0u);
  EXPECT_EQ(Stored(), 100u);
}

TEST_F(IngestTest, GzipOfAStoredFileIsTheSameInput) {
  std::string text = Lines(0, 120);
  std::string plain = Write("b.log", text);
  std::string gz = (dir_ / "b.log.gz").string();
  gzFile g = gzopen(gz.c_str(), "wb");
  ASSERT_NE(g, nullptr);
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  Ingester a(store_.get(), Options());
  ASSERT_TRUE(a.IngestInput(gz).ok());
  EXPECT_EQ(a.stats().records, 120u);
  ASSERT_TRUE(a.IngestInput(plain).ok());
  EXPECT_EQ(a.stats().records, 120u);
  EXPECT_EQ(a.stats().duplicate_lines, 120u);
}

TEST_F(IngestTest, RejectsAreCountedWithExamplesAndOthersKept) {
  std::string text = Line(0) +
                     "Jan 11 10:00:01 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3.4 DST=192.0.2.1 LEN=48 TTL=1 PROTO=TCP SPT=1 DPT=70000\n" +
                     Line(2) +
                     "Jan 11 10:00:03 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3 DST=192.0.2.1 LEN=48 TTL=1 PROTO=TCP SPT=1 DPT=80\n" +
                     Line(4);
  std::string p = Write("bad.log", text);
  Ingester a(store_.get(), Options());
  ASSERT_TRUE(a.IngestInput(p).ok());
  EXPECT_EQ(a.stats().records, 3u);
  EXPECT_EQ(a.stats().rejected_total(), 2u);
  EXPECT_EQ(a.stats().rejected[static_cast<int>(parse::Reason::kBadPort)], 1u);
  EXPECT_EQ(a.stats().rejected[static_cast<int>(parse::Reason::kUnparsableAddress)], 1u);
  ASSERT_EQ(a.stats().examples.size(), 2u);
  EXPECT_EQ(a.stats().examples[0].rfind(p + ":2: bad port", 0), 0u) << a.stats().examples[0];
  EXPECT_EQ(a.stats().examples[1].rfind(p + ":4: unparsable address", 0), 0u) << a.stats().examples[1];
}

TEST_F(IngestTest, SensorFromHostOrOption) {
  std::string p = Write("h.log", Line(0, "alpha") + Line(1, "beta") + Line(2, "alpha"));
  Ingester a(store_.get(), Options());
  ASSERT_TRUE(a.IngestInput(p).ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto alpha = store_->FindSensor("alpha");
  auto beta = store_->FindSensor("beta");
  ASSERT_TRUE(alpha && beta);
  std::map<uint32_t, int> per;
  ASSERT_TRUE(store_->Scan({}, [&](std::span<const Event> b) {
    for (const Event& e : b) per[e.sensor]++;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(per[*alpha], 2);
  EXPECT_EQ(per[*beta], 1);

  IngestOptions o = Options();
  o.sensor = "border";
  std::string q = Write("h2.log", Line(5, "alpha"));
  Ingester b(store_.get(), o);
  ASSERT_TRUE(b.IngestInput(q).ok());
  EXPECT_TRUE(store_->FindSensor("border"));
}

// --sensor-from-dir: lines that name no host take their file's directory;
// lines that name one keep it; without the option they go to "local".
TEST_F(IngestTest, SensorFromDirForLinesWithoutHost) {
  fs::create_directories(dir_ / "s02-darknet");
  const std::string ims =
      "01-10-2005 00:19:36 00000000 39.85.210.115 3541 A.B.C.34 445 TCP -S------ 2230632744 0\n"
      "01-10-2005 00:19:39 00000001 39.85.210.115 3541 A.B.C.34 445 TCP -S------ 2230632744 0\n";
  std::string p = Write("s02-darknet/2005-01-10.log", ims);
  std::string q = Write("s02-darknet/named.log", Line(7, "alpha"));
  std::string r = Write("plain.log", ims.substr(0, ims.find('\n') + 1));
  IngestOptions o = Options();
  o.sensor_from_dir = true;
  Ingester a(store_.get(), o);
  ASSERT_TRUE(a.IngestInput(p).ok());
  ASSERT_TRUE(a.IngestInput(q).ok());
  Ingester b(store_.get(), Options());
  ASSERT_TRUE(b.IngestInput(r).ok());
  ASSERT_TRUE(store_->Flush().ok());
  auto darknet = store_->FindSensor("s02-darknet");
  auto alpha = store_->FindSensor("alpha");
  auto local = store_->FindSensor("local");
  ASSERT_TRUE(darknet && alpha && local);
  std::map<uint32_t, int> per;
  ASSERT_TRUE(store_->Scan({}, [&](std::span<const Event> batch) {
    for (const Event& e : batch) per[e.sensor]++;
    return Status::Ok();
  }).ok());
  EXPECT_EQ(per[*darknet], 2);
  EXPECT_EQ(per[*alpha], 1);
  EXPECT_EQ(per[*local], 1);
}

// The parsing thread changes nothing but speed: the same batches with the
// same progress, the same sensors, records, rejects and examples as a run
// that parses and stores on one thread — including when the input is read
// again (duplicates), hosts change between and inside batches, and batches
// are small enough that the parser runs ahead of the store.
TEST_F(IngestTest, ParseThreadStoresExactlyWhatOneThreadStores) {
  std::string text;
  const char* hosts[] = {"alpha", "beta", "gamma", "alpha", "delta"};
  for (int i = 0; i < 3000; ++i) {
    if (i % 97 == 5) {
      text += "Jan 11 10:00:01 fw kernel: DROP IN=eth0 OUT= SRC=1.2.3.4 DST=192.0.2.1 LEN=48 TTL=1 "
              "PROTO=TCP SPT=1 DPT=" + std::to_string(70000 + i) + "\n";
    } else if (i % 101 == 7) {
      text += "not a firewall line " + std::to_string(i) + "\n";
    } else {
      text += Line(i, hosts[(i / 200 + i % 3 * (i > 1500)) % 5]);
    }
  }
  std::string head = Write("part.log", text.substr(0, text.find('\n', text.size() / 3) + 1));
  std::string full = (dir_ / "full.log").string();

  struct Run {
    std::vector<std::pair<uint64_t, uint64_t>> acks;  // (records, lines)
    std::vector<uint64_t> records, lines, dups, rejected;
    std::vector<std::vector<std::string>> examples;
    std::vector<Event> events;
    std::vector<std::string> sensors;
  };
  auto run = [&](bool threaded) {
    Run r;
    fs::path sdir = dir_ / (threaded ? "threaded" : "single");
    auto st = store::Store::Open(sdir.string());
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    IngestOptions o = Options();
    o.batch_events = 7;
    o.parse_thread = threaded;
    // The head first, then the whole file, whose first third is a duplicate.
    for (const std::string& p : {head, full}) {
      if (p == full) Write("full.log", text);
      Ingester a(st->get(), o);
      a.on_batch_stored = [&](const std::string&, uint64_t n, uint64_t l) { r.acks.emplace_back(n, l); };
      EXPECT_TRUE(a.IngestInput(p).ok());
      r.records.push_back(a.stats().records);
      r.lines.push_back(a.stats().lines);
      r.dups.push_back(a.stats().duplicate_lines);
      r.rejected.push_back(a.stats().rejected_total());
      r.examples.push_back(a.stats().examples);
    }
    EXPECT_TRUE((*st)->Flush().ok());
    EXPECT_TRUE((*st)->Scan({}, [&](std::span<const Event> b) {
      r.events.insert(r.events.end(), b.begin(), b.end());
      return Status::Ok();
    }).ok());
    for (const Event& e : r.events) r.sensors.push_back((*st)->SensorName(e.sensor));
    return r;
  };
  Run one = run(false), two = run(true);
  EXPECT_GT(one.acks.size(), 300u);
  EXPECT_EQ(one.acks, two.acks);
  EXPECT_EQ(one.records, two.records);
  EXPECT_EQ(one.lines, two.lines);
  EXPECT_EQ(one.dups, two.dups);
  EXPECT_EQ(one.rejected, two.rejected);
  EXPECT_EQ(one.examples, two.examples);
  ASSERT_EQ(one.events.size(), two.events.size());
  EXPECT_TRUE(one.events == two.events);
  EXPECT_EQ(one.sensors, two.sensors);
  for (const Event& e : two.events) {
    ASSERT_EQ(e.origin, 1u) << "every record names the input it came from";
  }
  EXPECT_GT(one.dups[1], 0u);
  EXPECT_GT(one.rejected[1], 0u);
}

// Progress is recorded only between records: a resumed ingest must never
// start at the continuation lines of a wrapped record (seed 004's ipchains
// lines are wrapped over three lines).
TEST_F(IngestTest, ProgressNeverPointsInsideAWrappedRecord) {
  std::string p = Write("ipchains.log",
      "Mar  2 15:32:54 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 1.2.3.4:1025 5.6.7.8:80 L=48 S=0x00 I=1 F=0x4000 T=117 SYN\n"
      "Mar  2 15:32:55 greatwall kernel: Packet log: input DENY ppp0 PROTO=6\n"
      " 207.95.12.112:3504 12.82.129.120:6346\n"
      " L=48 S=0x00 I=31988 F=0x4000 T=117 SYN (#64)\n"
      "Mar  2 15:32:57 greatwall kernel: Packet log: input DENY ppp0 PROTO=6 207.95.12.112:3504 12.82.129.120:6346 L=48 S=0x00 I=32007 F=0x4000 T=117 SYN (#64)\n");
  IngestOptions o = Options();
  o.parse.year = 2002;
  o.batch_events = 1;
  Ingester a(store_.get(), o);
  std::vector<uint64_t> acked;
  a.on_batch_stored = [&](const std::string&, uint64_t, uint64_t lines) { acked.push_back(lines); };
  ASSERT_TRUE(a.IngestInput(p).ok());
  EXPECT_EQ(a.stats().records, 3u);
  ASSERT_FALSE(acked.empty());
  for (uint64_t l : acked) EXPECT_TRUE(l != 2 && l != 3) << "progress acknowledged inside the wrapped record: line " << l;
  EXPECT_EQ(acked.back(), 5u);
}

// A format that holds its last record for continuation lines (IMS) emits it
// at the end: ingesting the file again, or after it grew, must not store it
// a second time.
TEST_F(IngestTest, HeldLastRecordIsStoredOnceAcrossRuns) {
  const std::string a =
      "01-10-2005 00:19:36 00000000 192.0.2.115 3541 198.51.100.34 445 TCP\n"
      "-S------ 2230632744 0\n"
      "01-10-2005 00:19:39 00000001 192.0.2.115 3541 198.51.100.34 445 TCP -S------ 2230632744 0\n"
      // Ends at its protocol, as IMS ICMP records do: held for a possible continuation.
      "01-10-2005 00:19:40 00000002 192.0.2.115 8 198.51.100.35 0 ICMP\n";
  const std::string b =
      "01-10-2005 00:19:45 00000003 192.0.2.115 3541 198.51.100.34 445 TCP -S------ 2230632744 0\n";
  std::string p = Write("ims.log", a);
  for (int run = 0; run < 2; ++run) {
    Ingester in(store_.get(), Options());
    ASSERT_TRUE(in.IngestInput(p).ok());
    EXPECT_EQ(in.stats().records, run == 0 ? 3u : 0u) << "run " << run;
    EXPECT_EQ(in.stats().rejected_total(), 0u);
  }
  Write("ims.log", b, /*append=*/true);
  Ingester grown(store_.get(), Options());
  ASSERT_TRUE(grown.IngestInput(p).ok());
  EXPECT_EQ(grown.stats().records, 1u);
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(Stored(), 4u);
}

TEST_F(IngestTest, UndetectableInputNamesTheFix) {
  std::string p = Write("junk.txt", "hello world\nthis is not a firewall log\n");
  Ingester a(store_.get(), Options());
  Status s = a.IngestInput(p);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("--format"), std::string::npos) << s.ToString();
}

TEST_F(IngestTest, EmptyAndMissingFiles) {
  std::string p = Write("empty.log", "");
  Ingester a(store_.get(), Options());
  EXPECT_TRUE(a.IngestInput(p).ok());
  EXPECT_EQ(a.stats().records, 0u);
  Status missing = a.IngestInput((dir_ / "nope.log").string());
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("nope.log"), std::string::npos) << missing.ToString();
}

// Seed 004: one sensor logged each Gnutella SYN three times (ipchains, a snort
// packet dump, p0f), and retransmitted it at 0, 3 and 9 s. Three packets, one
// attempt — whether the logs arrive in one command or in several.
TEST_F(IngestTest, SeedFourThreeLogsOnePacketEach) {
  std::string ipchains, snort, p0f;
  const char* times[] = {"15:32:54", "15:32:57", "15:33:03"};
  const char* micros[] = {"15:32:54.630347", "15:32:57.590663", "15:33:03.611243"};
  const int ids[] = {31988, 32007, 32053};
  for (int i = 0; i < 3; ++i) {
    ipchains += fmt::format(
        "Mar  2 {} greatwall kernel: Packet log: input DENY ppp0 PROTO=6 192.0.2.112:3504 "
        "198.51.100.120:6346 L=48 S=0x00 I={} F=0x4000 T=117 SYN (#64)\n", times[i], ids[i]);
    snort += fmt::format(
        "=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+\n"
        "03/02-{} 192.0.2.112:3504 -> 198.51.100.120:6346\n"
        "TCP TTL:117 TOS:0x0 ID:{} IpLen:20 DgmLen:48 DF\n"
        "******S* Seq: 0xEE01EA38  Ack: 0x0  Win: 0x16D0  TcpLen: 28\n"
        "TCP Options (4) => MSS: 1460 NOP NOP SackOK\n\n", micros[i], ids[i]);
    p0f += fmt::format("Sat Mar  2 {} 2002 192.0.2.112 [12 hops]: Windows 95 or early NT4\n"
                       " 192.0.2.112:3504 -> 198.51.100.120:6346\n", times[i]);
  }
  IngestOptions o = Options();
  o.parse.year = 2002;
  o.sensor = "greatwall";
  {
    Ingester all(store_.get(), o);
    for (auto [name, text] : {std::pair{"ipchains.log", ipchains}, {"snort.log", snort}, {"p0f.log", p0f}}) {
      ASSERT_TRUE(all.IngestInput(Write(name, text)).ok()) << name;
    }
    EXPECT_EQ(all.stats().records, 3u);
    EXPECT_EQ(all.stats().merged, 6u);
    EXPECT_EQ(all.stats().retransmissions, 2u);
  }
  std::vector<Event> got;
  ASSERT_TRUE(store_->Scan({}, [&](std::span<const Event> b) {
    got.insert(got.end(), b.begin(), b.end());
    return Status::Ok();
  }).ok());
  ASSERT_EQ(got.size(), 3u);
  int attempts = 0;
  for (const Event& e : got) attempts += (e.marks & mark::kRetransmission) == 0;
  EXPECT_EQ(attempts, 1);

  // The same logs of a second sensor, one command per log: the later commands
  // find the packets the first stored.
  for (std::string* text : {&ipchains, &snort, &p0f}) {
    size_t at;
    while ((at = text->find("198.51.100.120")) != std::string::npos) text->replace(at, 14, "198.51.100.121");
  }
  o.sensor = "greatwall2";
  uint64_t stored = 0, merged = 0;
  for (auto [name, text] : {std::pair{"b-ipchains.log", ipchains}, {"b-snort.log", snort}, {"b-p0f.log", p0f}}) {
    ASSERT_TRUE(store_->Flush().ok());
    Ingester one(store_.get(), o);
    ASSERT_TRUE(one.IngestInput(Write(name, text)).ok()) << name;
    stored += one.stats().records;
    merged += one.stats().merged;
  }
  EXPECT_EQ(stored, 3u);
  EXPECT_EQ(merged, 6u);
}

}  // namespace
}  // namespace portstorm::ingest
