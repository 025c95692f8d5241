#include "data/labels_csv.h"

#include <gtest/gtest.h>

namespace litemp::data {
namespace {

TEST(ParseLabelsCsv, WithHeader) {
  auto r = ParseLabelsCsv("file,class\na.jpg,0\nb.png,12\n", "l.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].file, "a.jpg");
  EXPECT_EQ((*r)[0].label, 0);
  EXPECT_EQ((*r)[1].file, "b.png");
  EXPECT_EQ((*r)[1].label, 12);
  EXPECT_EQ((*r)[1].line, 3);
}

TEST(ParseLabelsCsv, WithoutHeaderMiddleColumnsIgnored) {
  auto r = ParseLabelsCsv("x.bin,10,7\r\n\r\n  y.bin , 10 , 3 \r\n\n", "y.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].file, "x.bin");
  EXPECT_EQ((*r)[0].label, 7);
  EXPECT_EQ((*r)[1].file, "y.bin");
  EXPECT_EQ((*r)[1].label, 3);
  EXPECT_EQ((*r)[1].line, 3);
}

TEST(ParseLabelsCsv, BlankLinesBeforeHeaderAndQuotedNames) {
  auto r = ParseLabelsCsv("\n\nname,label\n\"a,b.jpg\",-1\n\"say \"\"hi\"\".png\",+4", "q.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].file, "a,b.jpg");
  EXPECT_EQ((*r)[0].label, -1);
  EXPECT_EQ((*r)[1].file, "say \"hi\".png");
  EXPECT_EQ((*r)[1].label, 4);
}

TEST(ParseLabelsCsv, MalformedLinesNameFileAndLine) {
  auto r = ParseLabelsCsv("file,class\na.jpg,0\nb.jpg,cat\n", "dir/labels.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("dir/labels.csv:3:"), std::string::npos) << r.status().ToString();
  EXPECT_NE(r.status().message().find("'cat'"), std::string::npos) << r.status().ToString();

  r = ParseLabelsCsv("a.jpg,0\n5\n", "l.csv");  // one field only
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("l.csv:2:"), std::string::npos) << r.status().ToString();

  r = ParseLabelsCsv("a.jpg,0\n,4\n", "l.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("empty file name"), std::string::npos) << r.status().ToString();

  r = ParseLabelsCsv("a.jpg,0\n\"open.jpg,1\n", "l.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("l.csv:2:"), std::string::npos);

  r = ParseLabelsCsv("a.jpg,1.5\n", "l.csv");  // a first line with a non-integer is a header...
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->empty());
  r = ParseLabelsCsv("h1,h2\nh1,h2\n", "l.csv");  // ...but only the first line
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("l.csv:2:"), std::string::npos);
  r = ParseLabelsCsv("a.jpg,99999999999999999999\n", "l.csv");
  EXPECT_TRUE(r.ok() && r->empty());  // overflow is not an integer: header
}

}  // namespace
}  // namespace litemp::data
