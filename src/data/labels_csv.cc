#include "data/labels_csv.h"

#include <cerrno>
#include <cstdlib>

namespace litemp::data {
namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

// Splits one CSV line; false on an unterminated quote.
bool SplitLine(const std::string& line, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch == '"' && Trim(cur).empty()) {
      cur.clear();
      quoted = true;
    } else if (ch == ',') {
      fields->push_back(Trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (quoted) return false;
  fields->push_back(Trim(cur));
  return true;
}

bool ParseInt(const std::string& s, int64_t* v) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return false;
  }
  errno = 0;
  char* end = nullptr;
  *v = std::strtoll(s.c_str(), &end, 10);
  return errno == 0 && end == s.c_str() + s.size();
}

}  // namespace

Result<std::vector<LabelEntry>> ParseLabelsCsv(const std::string& text, const std::string& path) {
  std::vector<LabelEntry> entries;
  std::vector<std::string> fields;
  bool seen_first = false;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (Trim(line).empty()) continue;
    const bool first = !seen_first;
    seen_first = true;
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (!SplitLine(line, &fields)) {
      return Status::InvalidArgument(where + "unterminated quote in '" + Trim(line) + "'");
    }
    int64_t label = 0;
    const bool has_label = ParseInt(fields.back(), &label);
    if (first && !has_label) continue;  // header
    if (fields.size() < 2) {
      return Status::InvalidArgument(where + "expected 'file,...,label', got '" + Trim(line) + "'");
    }
    if (!has_label) {
      return Status::InvalidArgument(where + "last field '" + fields.back() + "' is not an integer label");
    }
    if (fields[0].empty()) return Status::InvalidArgument(where + "empty file name");
    entries.push_back({fields[0], label, line_no});
  }
  return entries;
}

}  // namespace litemp::data
