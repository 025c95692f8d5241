// Which steps may run as post-ops inside the kernel of a node, after its output 0.
//
// A chain Conv -> Relu/Clip -> Add(other) -> Relu ... (or Sigmoid -> Mul(x), a SiLU) is
// fusible as long as each value in between is read only by the next node and is neither
// fetched nor fed. A value the hook observes ends the chain, unless the hook's work on it
// is a fake-quantization the kernel can apply itself (a kQuantize step); then the chain
// goes on. The kernel writes the chain's last value directly and the values in between
// are never materialised. A value read only by a Sigmoid and by the Mul of it by that
// Sigmoid's output (a SiLU), where nothing else reads or observes the Sigmoid's output,
// goes on as one kSiLU step. A Conv's chain may also take one depthwise Conv (constant
// weights) after its clips, fake-quantizations and SiLUs, then one 1x1 Conv (constant
// weights) after the depthwise one's steps of those kinds, and the steps after each: a
// kernel that computes the layers in one pass (conv_depthwise_avx512_as_avx2.h) applies
// them. Not a 1x1 Conv whose output goes into another depthwise one (through Relu or
// Clip): that one starts the next pass instead (MobileNetV1's alternating layers).
#ifndef LITEMP_EXEC_FUSION_H_
#define LITEMP_EXEC_FUSION_H_

#include <functional>
#include <vector>

#include "kernels/kernel.h"
#include "litemp/graph.h"

namespace litemp {

struct FusibleStep {
  PostOp op;         // kAdd's and kMul's operand is left null (the executor binds it)
  int node = -1;     // the consumer node this step runs; -1 for a kQuantize step
  int node2 = -1;    // kSiLU: the Sigmoid (`node` is the Mul)
  int operand = -1;  // kAdd, kMul: the Add's or Mul's other input (value id)
  int output = -1;   // the value the step completes
};

struct ChainRules {
  std::function<bool(int node)> runs;          // node n is part of the run
  std::function<bool(int value)> materialise;  // v must exist (fetched, fed): the chain ends at v
  std::function<bool(int value)> observed;     // the value hook must see v
  // For an observed v: its hook as a kQuantize step (lo, hi, scale), or false.
  std::function<bool(int value, PostOp* q)> quantize;
};

// The longest fusible chain after node `producer`'s output 0.
std::vector<FusibleStep> FusibleChain(const Graph& g, int producer, const ChainRules& rules);

}  // namespace litemp

#endif  // LITEMP_EXEC_FUSION_H_
