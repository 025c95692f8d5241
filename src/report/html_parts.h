// Internal pieces of report.html: the inline SVG charts and the colour scheme they share with
// the page's legends. All text that reaches the markup goes through Esc().
#ifndef LITEMP_REPORT_HTML_PARTS_H_
#define LITEMP_REPORT_HTML_PARTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "litemp/report.h"

namespace litemp::report {

// Valid UTF-8, HTML-escaped.
std::string Esc(std::string_view s);

// At most `max_chars` code points. TF-style names ("a/b/Conv2D;StatefulPartitionedCall/...")
// are cut at the first ';', and what is still too long loses its middle; either cut shows "…".
std::string ShortName(std::string_view name, size_t max_chars);

// Fill colour of a layer precision ("w8a8", "w16a16", "fp16", "w8a16", "fp32", ...).
std::string PrecisionColor(std::string_view precision);

// Per-layer PSNR as horizontal bars, one row per layer in `ranked` order (indices into
// r.sensitivity), flipped rows in their precision's colour, the flip cut-off marked.
std::string SensitivityChartSvg(const RunReport& r, const std::vector<int>& ranked);

// The layers in r.sensitivity order (graph order) as a grid of cells coloured by precision;
// flipped cells are outlined and show their sensitivity rank. rank[i] is layer i's rank (1-based).
std::string PrecisionMapSvg(const RunReport& r, const std::vector<int>& rank);

// Top-1 accuracy against percent flipped; empty string when r.percent_curve is empty.
std::string PercentCurveSvg(const RunReport& r);

}  // namespace litemp::report

#endif  // LITEMP_REPORT_HTML_PARTS_H_
