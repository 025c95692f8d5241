#include "litemp/profile.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace litemp {

ProfileSummary SummarizeProfile(const Graph& graph, const std::vector<NodeTime>& times, int runs, int top) {
  ProfileSummary p;
  p.runs = runs;
  std::map<std::string, OpTime> by_op;
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const Node& n = graph.nodes[i];
    const std::string op = n.domain.empty() ? n.op_type : n.domain + "::" + n.op_type;
    OpTime& o = by_op[op];
    o.op = op;
    ++o.nodes;
    if (times[i].fused > 0) ++o.fused;
    const double ms = times[i].ms / runs;
    o.ms += ms;
    p.ms += ms;
    if (times[i].runs > 0) p.nodes.push_back({n.name, op, static_cast<int>(i), ms, 0, {}});
  }
  // Nodes that only ran inside another's kernel, listed in its row (one that also ran on
  // its own has its own row).
  std::vector<int> row_of(graph.nodes.size(), -1);
  for (size_t r = 0; r < p.nodes.size(); ++r) row_of[static_cast<size_t>(p.nodes[r].index)] = static_cast<int>(r);
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    const int host = times[i].host;
    if (times[i].fused > 0 && times[i].runs == 0 && host >= 0 && row_of[static_cast<size_t>(host)] >= 0)
      p.nodes[static_cast<size_t>(row_of[static_cast<size_t>(host)])].fused.push_back(static_cast<int>(i));
  }
  const double total = p.ms > 0 ? p.ms : 1;
  for (auto& [op, o] : by_op) {
    o.share = o.ms / total;
    p.ops.push_back(o);
  }
  std::stable_sort(p.ops.begin(), p.ops.end(), [](const OpTime& a, const OpTime& b) { return a.ms > b.ms; });
  std::stable_sort(p.nodes.begin(), p.nodes.end(), [](const NodeTimeRow& a, const NodeTimeRow& b) { return a.ms > b.ms; });
  if (static_cast<int>(p.nodes.size()) > top) p.nodes.resize(std::max(top, 0));
  for (NodeTimeRow& r : p.nodes) r.share = r.ms / total;
  return p;
}

std::string FormatProfile(const ProfileSummary& p) {
  std::string s;
  char line[256];
  std::snprintf(line, sizeof line, "profile: %.2f ms per run in kernels and hooks (mean of %d whole-batch runs)\n", p.ms,
                p.runs);
  s += line;
  std::snprintf(line, sizeof line, "  %-24s %6s %6s %10s %7s\n", "op", "nodes", "fused", "ms/run", "share");
  s += line;
  for (const OpTime& o : p.ops) {
    std::snprintf(line, sizeof line, "  %-24s %6d %6d %10.3f %6.1f%%\n", o.op.c_str(), o.nodes, o.fused, o.ms,
                  100 * o.share);
    s += line;
  }
  std::snprintf(line, sizeof line, "  slowest nodes:\n");
  s += line;
  for (const NodeTimeRow& r : p.nodes) {
    std::snprintf(line, sizeof line, "  %-40.40s %-16.16s %10.3f %6.1f%%\n", r.name.c_str(), r.op.c_str(), r.ms,
                  100 * r.share);
    s += line;
  }
  return s;
}

}  // namespace litemp
