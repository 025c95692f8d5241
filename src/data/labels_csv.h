// The labels file of a folder dataset: CSV whose first column is a file name and whose
// last column is the integer class.
#ifndef LITEMP_DATA_LABELS_CSV_H_
#define LITEMP_DATA_LABELS_CSV_H_

#include <cstdint>
#include <string>
#include <vector>

#include "litemp/status.h"

namespace litemp::data {

struct LabelEntry {
  std::string file;
  int64_t label = 0;
  int line = 0;  // 1-based line in the CSV, for messages
};

// Parses CSV text. Fields are separated by commas and trimmed; a field may be
// double-quoted ("a,b.jpg", "" for a literal quote). Blank lines are skipped. The first
// non-blank line is a header when its last field is not an integer. Any other line with
// fewer than two fields, an empty file name or a non-integer last field is an error:
// InvalidArgument "<path>:<line>: ...".
Result<std::vector<LabelEntry>> ParseLabelsCsv(const std::string& text, const std::string& path);

}  // namespace litemp::data

#endif  // LITEMP_DATA_LABELS_CSV_H_
