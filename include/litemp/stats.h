// Model statistics for `litemp info` and `litemp bench`: op counts, parameter count,
// and FLOPs of the multiply-accumulate ops (Conv, ConvTranspose, Gemm, MatMul; two FLOPs
// per multiply-add; other ops are not counted, as is customary).
#ifndef LITEMP_STATS_H_
#define LITEMP_STATS_H_

#include <map>
#include <string>
#include <vector>

#include "litemp/graph.h"

namespace litemp {

struct ModelStats {
  std::map<std::string, int> op_counts;  // by op type ("com.domain::Op" outside the default domain)
  int64_t parameters = 0;                // elements of float and quantized (DequantizeLinear input) initializers
  double flops = 0;                      // for the shapes given (per batch)
  std::vector<double> node_flops;        // the same, by node index
};

// `shapes[id]` gives each value's shape for one run; when null the statically inferred
// shapes are used with unknown dims taken as 1 (FLOPs then are per sample).
ModelStats ComputeStats(const Graph& graph, const std::vector<Shape>* shapes = nullptr);

}  // namespace litemp

#endif  // LITEMP_STATS_H_
