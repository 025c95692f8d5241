// Batched inference over a model's inputs.
//
// Describes the model's inputs (name, static shape, whether the batch dimension is fixed),
// checks that data fits them, and runs batches of any size: a model whose batch dimension
// is fixed (e.g. 1, often with Reshapes baked to that size) is run chunk by chunk and the
// outputs concatenated, so it still evaluates a whole dataset. A batch holds one [N, ...]
// tensor per model input, in graph-input order, all with the same N.
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

// Every graph input, in order; NotSupported for a non-float32 input, InvalidArgument when
// the model has none or the inputs disagree on a fixed batch size.
using ModelInputs = std::vector<ModelInput>;
// One [N, ...] tensor per model input.
using Batch = std::vector<Tensor>;
Result<ModelInputs> DescribeInputs(const Graph& graph);
// The single graph input; InvalidArgument if the model has zero or several inputs.
Result<ModelInput> DescribeInput(const Graph& graph);
// The inputs' fixed batch size (> 0) or 0 when dim 0 is symbolic.
int64_t FixedBatch(const ModelInputs& in);
// Input names, in order.
std::vector<std::string> InputNames(const ModelInputs& in);

// OK when a batch of shape `batch_shape` ([N, ...]) fits the model input; otherwise an
// InvalidArgument like "input 'x' expects [N,3,224,224], the data gives [N,3,32,32]".
Status CheckInputShape(const ModelInput& in, const Shape& batch_shape);
// Every input's shape, one tensor per input, and the same N (>= 1) for all.
Status CheckInputShapes(const ModelInputs& in, const Batch& batch);

// Runs `batch` through `exec` (in chunks of the fixed batch when set) and returns the
// requested values (graph outputs, then options.fetch) concatenated along dim 0 when
// chunked. The hook in `options` sees every chunk.
Status RunBatch(Executor& exec, const ModelInputs& in, const Batch& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results);
// The single-input form.
Status RunBatch(Executor& exec, const ModelInput& in, const Tensor& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results);

// The executor feeds for `batch`: input value id -> tensor.
std::unordered_map<int, Tensor> InputFeeds(const ModelInputs& in, const Batch& batch);

// Rows [begin, begin + rows) of every tensor, zero-padded to `padded_rows` rows (a
// fixed-batch model) when larger.
Batch SampleRows(const Batch& samples, int64_t begin, int64_t rows, int64_t padded_rows);

// Index in graph.outputs of the output named `name` (empty: 0); InvalidArgument listing the
// outputs when there is none of that name (or the graph has no outputs).
Result<int> FindOutput(const Graph& graph, const std::string& name);

// Concatenates tensors of equal dtype and trailing shape along dim 0.
Result<Tensor> ConcatBatch(const std::vector<Tensor>& parts);
// The same keeping the parts' layout (channels-last or channel-blocked; the sample axis is
// outermost in every layout), as a run's cache holds values. REQUIRES: one layout.
Result<Tensor> ConcatBatchInLayout(const std::vector<Tensor>& parts);
// Rows [begin, end) of dim 0 (a copy).
Tensor SliceBatch(const Tensor& t, int64_t begin, int64_t end);

}  // namespace litemp

#endif  // LITEMP_RUNNER_H_
