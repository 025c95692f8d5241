// Which consumers of a node's output may run as post-ops inside the node's kernel.
//
// A chain Conv -> Relu/Clip -> Add(other) -> Relu ... is fusible as long as each value in
// between is read only by the next node and nobody else sees it (not fetched, not fed,
// not observed by the value hook). The kernel then writes the chain's last value directly
// and the values in between are never materialised.
#ifndef LITEMP_EXEC_FUSION_H_
#define LITEMP_EXEC_FUSION_H_

#include <functional>
#include <vector>

#include "kernels/kernel.h"
#include "litemp/graph.h"

namespace litemp {

struct FusibleNode {
  int node = -1;
  PostOp::Kind kind = PostOp::Kind::kClip;
  float lo = 0, hi = 0;  // kClip bounds
  int addend = -1;       // kAdd: the Add's other input (value id)
  int output = -1;       // the node's output value
};

// The longest fusible chain after node `producer`'s output 0. `hidden(v)` says whether
// value v may stay unmaterialised; `runs(n)` whether node n is part of the run.
std::vector<FusibleNode> FusibleChain(const Graph& g, int producer, const std::function<bool(int)>& hidden,
                                      const std::function<bool(int)>& runs);

}  // namespace litemp

#endif  // LITEMP_EXEC_FUSION_H_
