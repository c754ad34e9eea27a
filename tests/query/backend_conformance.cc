// The conformance tests themselves; link this file into any test binary that
// instantiates BackendConformance (see backend_conformance.h).
#include "query/backend_conformance.h"

namespace portstorm::query::testing {

TEST_P(BackendConformance, AgreesWithTheReferenceOnRandomData) {
  const BackendUnderTest& b = GetParam();
  for (uint32_t seed : {1u, 2u}) {
    DataSet data = RandomDataSet(seed, seed == 1 ? 2000 : 300);
    MemoryReader reader(data.events);
    reader.SetSensors(data.sensors);
    EmbeddedBackend reference(reader, {Plan::kScan});
    std::unique_ptr<Backend> backend = b.make(data);
    size_t compared = 0;
    for (const Query& q : ConformanceQueries()) {
      auto want = reference.Execute(q);
      ASSERT_TRUE(want.ok()) << Describe(q) << ": " << want.status().ToString();
      auto got = backend->Execute(q);
      if (!got.ok() && !b.answers_everything && got.status().code() == Code::kInvalidArgument) {
        continue;
      }
      ASSERT_TRUE(got.ok()) << b.name << ": " << Describe(q) << ": " << got.status().ToString();
      ASSERT_EQ(got->columns, want->columns) << Describe(q);
      ASSERT_EQ(got->rows.size(), want->rows.size()) << Describe(q);
      for (size_t r = 0; r < want->rows.size(); ++r) {
        ASSERT_EQ(got->rows[r], want->rows[r]) << b.name << ": row " << r << " of " << Describe(q);
      }
      ++compared;
    }
    EXPECT_GT(compared, 0u);
  }
}

TEST_P(BackendConformance, DaysWithData) {
  DataSet data = RandomDataSet(7, 200);
  auto backend = GetParam().make(data);
  auto days = backend->Days();
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(*days, (std::vector<int64_t>{kFirstDay, kFirstDay + 1, kFirstDay + 2}));
}

}  // namespace portstorm::query::testing
