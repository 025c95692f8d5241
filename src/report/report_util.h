// Internal helpers shared by the report writers: number formatting that does not depend on
// the C locale, escaping for CSV/HTML, the canonical layer ranking and key orders.
// Everything here is deterministic: the same RunReport always gives the same bytes.
#ifndef LITEMP_REPORT_REPORT_UTIL_H_
#define LITEMP_REPORT_REPORT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "litemp/report.h"

namespace litemp::report {

// Rounds to `digits` decimals (half away from zero). Non-finite values pass through.
double RoundTo(double v, int digits);

// Fixed notation with exactly `digits` decimals ("23.4567"); "inf", "-inf", "nan" otherwise.
// Uses std::to_chars, so the output never depends on the process locale.
std::string Fixed(double v, int digits);
// Shortest round-trip text for `v` with at most `sig` significant digits ("6", "-0.0235").
std::string Short(double v, int sig);

// RFC 4180 field: quoted (with "" for ") when it contains , " ; CR LF or leading/trailing
// space, so spreadsheets that split on ';' see one field as well.
std::string CsvField(std::string_view s);
// Text safe inside HTML/SVG element content and double- or single-quoted attributes.
std::string HtmlEscape(std::string_view s);

// Replaces invalid UTF-8 sequences with U+FFFD so every writer sees valid text.
std::string ValidUtf8(std::string_view s);

// Indices into r.sensitivity ordered by ascending PSNR (stable; NaN last). The writers rank
// layers with this, whatever order the caller filled the vector in.
std::vector<int> RankedOrder(const RunReport& r);

// Timing and sample keys in workflow order first, then any others alphabetically.
std::vector<std::pair<std::string, double>> OrderedTimings(const RunReport& r);
std::vector<std::pair<std::string, int64_t>> OrderedSamples(const RunReport& r);

// Text of the sensitivity.json file (list form, ranked). Format: docs/formats/reports.md.
std::string SensitivityJson(const RunReport& r);

}  // namespace litemp::report

#endif  // LITEMP_REPORT_REPORT_UTIL_H_
