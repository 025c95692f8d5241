// Batched inference over a model with one image-like input.
//
// Describes the model's input (name, static shape, whether the batch dimension is fixed),
// checks that data fits it, and runs batches of any size: a model whose batch dimension
// is fixed (e.g. 1, often with Reshapes baked to that size) is run chunk by chunk and the
// outputs concatenated, so it still evaluates a whole dataset.
#ifndef LITEMP_RUNNER_H_
#define LITEMP_RUNNER_H_

#include <string>
#include <vector>

#include "litemp/executor.h"

namespace litemp {

struct ModelInput {
  int value_id = -1;
  std::string name;
  DType dtype = DType::kFloat32;
  Shape shape;               // from the model; -1 for symbolic dims; empty if unknown
  int64_t fixed_batch = 0;   // > 0 when dim 0 is a fixed number
};

// The single graph input; InvalidArgument if the model has zero or several inputs.
Result<ModelInput> DescribeInput(const Graph& graph);

// OK when a batch of shape `batch_shape` ([N, ...]) fits the model input; otherwise an
// InvalidArgument like "input 'x' expects [N,3,224,224], the data gives [N,3,32,32]".
Status CheckInputShape(const ModelInput& in, const Shape& batch_shape);

// Runs `batch` through `exec` (in chunks of in.fixed_batch when set) and returns the
// requested values (graph outputs, then options.fetch) concatenated along dim 0 when
// chunked. The hook in `options` sees every chunk.
Status RunBatch(Executor& exec, const ModelInput& in, const Tensor& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results);

// Concatenates tensors of equal dtype and trailing shape along dim 0.
Result<Tensor> ConcatBatch(const std::vector<Tensor>& parts);
// Rows [begin, end) of dim 0 (a copy).
Tensor SliceBatch(const Tensor& t, int64_t begin, int64_t end);

}  // namespace litemp

#endif  // LITEMP_RUNNER_H_
