// store_stats: bytes per record of a store directory, per segment column,
// for tuning the encodings (docs/formats/store.md).
//
//   store_stats DIR
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "store/fs.h"
#include "store/segment.h"

namespace fs = std::filesystem;
using namespace portstorm::store;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: store_stats DIR\n");
    return 2;
  }
  std::vector<uint64_t> stored(detail::kNumColumns, 0), raw(detail::kNumColumns, 0);
  uint64_t rows = 0, seg_bytes = 0, idx_bytes = 0, other = 0, parts = 0;
  for (const auto& e : fs::recursive_directory_iterator(argv[1])) {
    if (!e.is_regular_file()) continue;
    std::string p = e.path().string();
    uint64_t size = e.file_size();
    if (p.ends_with(".seg")) {
      auto r = detail::SegmentReader::Open(FileSystem::Default(), p);
      if (!r.ok()) {
        std::fprintf(stderr, "%s: %s\n", p.c_str(), r.status().message().c_str());
        return 1;
      }
      ++parts;
      seg_bytes += size;
      rows += (*r)->rows();
      for (const auto& g : (*r)->groups()) {
        for (uint32_t c = 0; c < g.blocks.size() && c < detail::kNumColumns; ++c) {
          stored[c] += g.blocks[c].stored_len;
          raw[c] += g.blocks[c].raw_len;
        }
      }
    } else if (p.ends_with(".idx")) {
      idx_bytes += size;
    } else {
      other += size;
    }
  }
  if (rows == 0) {
    std::printf("no rows\n");
    return 0;
  }
  double n = static_cast<double>(rows);
  std::printf("%llu rows in %llu parts\n", static_cast<unsigned long long>(rows),
              static_cast<unsigned long long>(parts));
  std::printf("%-12s %10s %10s\n", "column", "B/rec", "raw B/rec");
  uint64_t cols = 0;
  for (uint32_t c = 0; c < detail::kNumColumns; ++c) {
    cols += stored[c];
    std::printf("%-12s %10.3f %10.3f\n", detail::ColumnName(c), stored[c] / n, raw[c] / n);
  }
  std::printf("%-12s %10.3f\n", "seg overhead", (seg_bytes - cols) / n);
  std::printf("%-12s %10.3f\n", "segments", seg_bytes / n);
  std::printf("%-12s %10.3f\n", "day index", idx_bytes / n);
  std::printf("%-12s %10.3f\n", "other", other / n);
  std::printf("%-12s %10.3f\n", "total", (seg_bytes + idx_bytes + other) / n);
  return 0;
}
