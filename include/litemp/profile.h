// Where inference time goes: per-node times from runs with RunOptions::profile, summed by
// op type and ranked by node (`litemp bench --profile`).
#ifndef LITEMP_PROFILE_H_
#define LITEMP_PROFILE_H_

#include <string>
#include <vector>

#include "litemp/executor.h"
#include "litemp/graph.h"

namespace litemp {

struct OpTime {
  std::string op;    // op type, with its domain when not the default one
  int nodes = 0;     // nodes of this type in the graph
  int fused = 0;     // of them, those that ran inside their producer's kernel
  double ms = 0;     // per run
  double share = 0;  // of all nodes' time
};

struct NodeTimeRow {
  std::string name, op;
  int index = -1;            // in graph.nodes
  double ms = 0, share = 0;  // per run; of all nodes' time
  std::vector<int> fused;    // nodes that ran only inside its kernel (their time is in ms)
};

struct ProfileSummary {
  int runs = 0;
  double ms = 0;                   // per run, all nodes (kernels and hooks)
  std::vector<OpTime> ops;         // slowest first
  std::vector<NodeTimeRow> nodes;  // the `top` slowest nodes, slowest first
};

// Sums `times` (from `runs` runs of an executor of `graph`) by op type and picks the `top`
// slowest nodes. REQUIRES: times.size() == graph.nodes.size(), runs >= 1.
ProfileSummary SummarizeProfile(const Graph& graph, const std::vector<NodeTime>& times, int runs, int top = 10);

// The summary as a fixed-width table (op types, then nodes), lines ending in '\n'.
std::string FormatProfile(const ProfileSummary& p);

}  // namespace litemp

#endif  // LITEMP_PROFILE_H_
