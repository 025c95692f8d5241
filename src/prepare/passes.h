// The preparation passes PrepareModelProto runs (see include/litemp/prepare.h), one file
// each. Every pass edits the GraphProto in place and appends what it did to the report;
// a node a pass cannot handle is left as it is (with a note when the reason is not obvious).
#ifndef LITEMP_PREPARE_PASSES_H_
#define LITEMP_PREPARE_PASSES_H_

#include <onnx/onnx_pb.h>

#include <vector>

#include "litemp/graph.h"
#include "litemp/prepare.h"

namespace litemp::prepare {

// Fixes the dims of graph inputs. InvalidArgument naming the input and its declared shape
// for an unknown input, an initializer, a wrong rank or a repeated input. When a dim that
// was a fixed number changes, the declared output shapes are cleared as well, since shape
// inference would otherwise contradict them.
// REQUIRES: `g` has not been through shape inference since the shapes were read, or its
// value_info may be cleared (this pass clears it when any shape is set).
Status ApplyInputShapes(const std::vector<InputShape>& shapes, onnx::GraphProto* g, PrepareReport* report);

// Gives every nameless node of `g` the name litemp's loader gave it in `graph`, which was
// loaded from `g`.
void NameNodes(const Graph& graph, onnx::GraphProto* g);

// Runs nodes whose inputs are all constants (and Shape of static dims) with litemp's
// kernels and turns their outputs into initializers; turns Constant nodes into
// initializers. `graph` is `g` as loaded (shapes inferred). Nodes producing graph outputs,
// random and quantization ops, ops litemp cannot run and results much larger than their
// inputs stay nodes.
void FoldConstants(const Graph& graph, onnx::GraphProto* g, PrepareReport* report);

// Removes Identity and inference Dropout nodes, rewiring their readers to the input. When
// such a node writes a graph output, its producer's output is renamed to the graph output
// name instead (kept when that is impossible, e.g. an input passed straight through).
void DropIdentities(onnx::GraphProto* g, PrepareReport* report);

// Folds inference BatchNormalization into the Conv, ConvTranspose, Gemm or MatMul writing
// its input. `graph` (the model as loaded) supplies the ranks MatMul folding needs; `opset`
// is the model's default-domain opset; external data of `g` is read from `external_dir`.
// Folded weights and biases are written inline (new data; the originals, if nothing else
// reads them, are removed later).
void FoldBatchNorms(const Graph& graph, int64_t opset, const std::string& external_dir, onnx::GraphProto* g,
                    PrepareReport* report);

}  // namespace litemp::prepare

#endif  // LITEMP_PREPARE_PASSES_H_
