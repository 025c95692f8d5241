// SharedPrefix: the part of a run that two simulations of one model compute alike.
//
// A mixed-precision simulation differs from the W8A8 one it was made from only at its
// flipped layers and downstream of them: every node before them reads the same values,
// the same quantized weights and writes the same bits through the same quantizer. When
// both run on a batch, the second can start at its first differing nodes and read the
// values it needs from the first's run (SampleParallelRunner::RunFrom). When Lite-MP flips
// the first layer (MobileNetV2, ResNet-8) mixed shares nothing with W8A8; a percent sweep's
// points share much with mixed and with each other (one with mixed's flips is mixed).
#ifndef LITEMP_SHARED_PREFIX_H_
#define LITEMP_SHARED_PREFIX_H_

#include <vector>

#include "litemp/status.h"

namespace litemp {

class QuantSim;

struct SharedPrefix {
  // The second's nodes that must run (downstream-closed); none when the simulations are
  // the same (then the frontier is the graph outputs).
  std::vector<int> start_nodes;
  std::vector<int> frontier;     // values they read, and graph outputs, the first computes alike
  int shared_nodes = 0;          // nodes the second does not run
  // Nothing to share: the second runs whole.
  bool empty() const { return shared_nodes == 0; }
};

// What `second` can take from a run of `first`. Values are alike when their producers read
// alike values and constants (the executors' quantized weights, compared byte by byte) and
// their quantizers apply the same thing (enabled, type, encodings, axis); graph inputs when
// their quantizers do. The second starts where the first holds values anyway: a value whose
// only reader is a Relu, Clip or Add (which its producer's kernel may apply as it writes) is
// not taken, its producer runs again. Empty when the simulations were built on different
// models or share no node.
// Syncs both simulations' constants (QuantSim::SyncConstants) and compares their current
// settings: plan again after changing either.
Result<SharedPrefix> PlanSharedPrefix(QuantSim& first, QuantSim& second);

}  // namespace litemp

#endif  // LITEMP_SHARED_PREFIX_H_
