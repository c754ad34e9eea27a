#include "report/table_writer.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace portstorm::report {
namespace {

Table Sample() {
  Table t;
  t.columns = {{"count", CellType::kInt},
               {"percent", CellType::kFloat, Privacy::kPublic, 2},
               {"ip", CellType::kIp},
               {"seen", CellType::kTime},
               {"date", CellType::kDay},
               {"note", CellType::kString}};
  const int64_t day = 12794;  // 2005-01-11
  t.rows.push_back({int64_t{351}, 78.876404, *IpAddr::Parse("83.50.134.3"),
                    int64_t{day * kUsPerDay + 3723 * kUsPerSecond}, int64_t{day},
                    std::string("plain")});
  t.rows.push_back({int64_t{12}, 2.696629, *IpAddr::Parse("2001:db8::1"), Cell{}, int64_t{day},
                    std::string("a,b \"q\"\nline2\ttab\\")});
  return t;
}

TEST(TableWriter, ParseOutputFormat) {
  EXPECT_EQ(*ParseOutputFormat("table"), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("TSV"), OutputFormat::kTsv);
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_EQ(*ParseOutputFormat("json"), OutputFormat::kJson);
  auto bad = ParseOutputFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  for (auto f : {OutputFormat::kTable, OutputFormat::kTsv, OutputFormat::kCsv, OutputFormat::kJson}) {
    EXPECT_EQ(*ParseOutputFormat(OutputFormatName(f)), f);
  }
  EXPECT_EQ(DefaultOutputFormat(true), OutputFormat::kTable);
  EXPECT_EQ(DefaultOutputFormat(false), OutputFormat::kTsv);
}

TEST(TableWriter, AlignedTable) {
  Table t = Sample();
  t.rows[1][5] = std::string("x");
  EXPECT_EQ(FormatTable(t, OutputFormat::kTable),
            "count  percent  ip           seen                 date        note\n"
            "  351    78.88  83.50.134.3  2005-01-11 01:02:03  2005-01-11  plain\n"
            "   12     2.70  2001:db8::1                       2005-01-11  x\n");
}

TEST(TableWriter, AlignedTableCountsCodePointsAndHidesControls) {
  Table t;
  t.columns = {{"name", CellType::kString}, {"n", CellType::kInt}};
  t.rows = {{std::string("m\xc3\xbcnchen"), int64_t{1}}, {std::string("a\nb"), int64_t{22}}};
  EXPECT_EQ(FormatTable(t, OutputFormat::kTable),
            "name      n\n"
            "m\xc3\xbcnchen   1\n"
            "a b      22\n");
}

TEST(TableWriter, Tsv) {
  EXPECT_EQ(FormatTable(Sample(), OutputFormat::kTsv),
            "count\tpercent\tip\tseen\tdate\tnote\n"
            "351\t78.88\t83.50.134.3\t2005-01-11 01:02:03\t2005-01-11\tplain\n"
            "12\t2.70\t2001:db8::1\t\t2005-01-11\ta,b \"q\"\\nline2\\ttab\\\\\n");
}

TEST(TableWriter, CsvQuotesPerRfc4180) {
  EXPECT_EQ(FormatTable(Sample(), OutputFormat::kCsv),
            "count,percent,ip,seen,date,note\n"
            "351,78.88,83.50.134.3,2005-01-11 01:02:03,2005-01-11,plain\n"
            "12,2.70,2001:db8::1,,2005-01-11,\"a,b \"\"q\"\"\nline2\ttab\\\"\n");
}

TEST(TableWriter, JsonTypesAndEscaping) {
  EXPECT_EQ(FormatTable(Sample(), OutputFormat::kJson),
            "[\n"
            "  {\"count\": 351, \"percent\": 78.88, \"ip\": \"83.50.134.3\", "
            "\"seen\": \"2005-01-11T01:02:03Z\", \"date\": \"2005-01-11\", \"note\": \"plain\"},\n"
            "  {\"count\": 12, \"percent\": 2.70, \"ip\": \"2001:db8::1\", \"seen\": null, "
            "\"date\": \"2005-01-11\", \"note\": \"a,b \\\"q\\\"\\nline2\\ttab\\\\\"}\n"
            "]\n");
}

TEST(TableWriter, JsonControlAndInvalidUtf8) {
  Table t;
  t.columns = {{"s", CellType::kString}};
  t.rows = {{std::string("\x01\x1f ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80")},
            {std::string("bad \xff \xc3 \xed\xa0\x80 end")}};
  EXPECT_EQ(FormatTable(t, OutputFormat::kJson),
            "[\n"
            "  {\"s\": \"\\u0001\\u001f ok \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"},\n"
            "  {\"s\": \"bad \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd end\"}\n"
            "]\n");
}

TEST(TableWriter, EmptyTables) {
  Table t;
  t.columns = {{"a", CellType::kInt}, {"b", CellType::kString}};
  EXPECT_EQ(FormatTable(t, OutputFormat::kTable), "a  b\n");
  EXPECT_EQ(FormatTable(t, OutputFormat::kTsv), "a\tb\n");
  EXPECT_EQ(FormatTable(t, OutputFormat::kCsv), "a,b\n");
  EXPECT_EQ(FormatTable(t, OutputFormat::kJson), "[]\n");
}

TEST(TableWriter, WriteTableToAFile) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  ASSERT_TRUE(WriteTable(Sample(), OutputFormat::kCsv, f).ok());
  std::rewind(f);
  char buf[64] = {};
  ASSERT_NE(std::fgets(buf, sizeof buf, f), nullptr);
  EXPECT_STREQ(buf, "count,percent,ip,seen,date,note\n");
  std::fclose(f);
}

}  // namespace
}  // namespace portstorm::report
