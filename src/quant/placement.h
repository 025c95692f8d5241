// Quantizer placement: which tensors of a graph get quantizers, owned by which layer, with
// which initial settings, following AIMET's rules (docs/aimet-facts.md) and a quantsim
// config. Applied in AIMET's order: defaults, params, op_type, supergroups, model_input,
// model_output, per-channel.
#ifndef LITEMP_QUANT_PLACEMENT_H_
#define LITEMP_QUANT_PLACEMENT_H_

#include <string>
#include <vector>

#include "litemp/graph.h"
#include "quant/config.h"
#include "quant/quantizer.h"

namespace litemp {

// True for ops whose outputs keep their producer's grid and get no output quantizer.
bool IsDataMovementOp(const std::string& op_type);

// Parameter role of input `i` of `node` ("weight", "bias", "running_mean", ...) or "" when
// that input is not a parameter. Only initializer inputs can be parameters.
std::string ParamRole(const Graph& g, int node, int i);

// Places quantizers for `graph` per `config`. Bitwidths are 8 and dtype int; callers
// adjust them afterwards (presets, flips).
std::vector<Quantizer> PlaceQuantizers(const Graph& graph, const QuantsimConfig& config);

}  // namespace litemp

#endif  // LITEMP_QUANT_PLACEMENT_H_
