// Model preparation: rewrites an ONNX model into the form a deployment runtime would run,
// without changing what it computes, before litemp quantizes it.
//
// The transformations, in the order they run (each can be turned off):
//  - input shapes: fix dimensions of graph inputs (`--shape name:d0,d1,...`) before ONNX
//    shape inference, so static shapes propagate through the graph;
//  - constant folding: nodes whose inputs are all constants (and Shape of a value whose
//    dims it returns are static) are run once with litemp's own kernels and become
//    initializers; Constant nodes become initializers too;
//  - Identity and inference Dropout are dropped and their consumers rewired;
//  - BatchNormalization (inference form) is folded into the Conv, ConvTranspose, Gemm, or
//    MatMul with a constant 2-D weight, that directly precedes it;
//  - initializers nothing reads any more are removed.
// The result is exact to FP32 up to rounding: folded weights are computed in double and
// rounded to float once. Graph input and output names never change; a folded node keeps
// its own node name and takes the BatchNormalization's output name. Nameless nodes get the
// names litemp's loader gives them ("/Conv_1"), so reports name the same layers before and
// after preparation.
//
// Initializers that are also listed as graph inputs count as constants, as litemp's loader
// treats them. The prepared model is serialized whole, so it must stay under protobuf's
// 2 GiB limit with its inline data; large external data (Model's kMapExternalDataBytes)
// stays in its files and is memory-mapped, never copied, unless a pass rewrites it (a
// folded BatchNormalization's weight, a folded constant), which makes it inline data.
//
// Thread-compatible: the functions share no state.
#ifndef LITEMP_PREPARE_H_
#define LITEMP_PREPARE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "litemp/model.h"
#include "litemp/status.h"

namespace onnx {
class ModelProto;
}  // namespace onnx

namespace litemp {

// A shape override for one graph input.
struct InputShape {
  // Marks a dimension that keeps whatever the model declares (symbolic or not).
  static constexpr int64_t kKeep = -1;
  std::string name;
  std::vector<int64_t> dims;  // one entry per dimension: a positive size, or kKeep
};

// Parses the text of a `--shape` flag, "name:d0,d1,...": each dim a positive integer, or
// `N` for kKeep. The name is everything before the last ':' (names such as "input:0" work).
// InvalidArgument quoting `text` when it does not have that form.
Result<InputShape> ParseInputShape(std::string_view text);

struct PrepareOptions {
  bool fold_bn = true;
  bool fold_constants = true;
  bool drop_identity = true;
  std::vector<InputShape> shapes;  // at most one per input
};

// What preparation did, for the CLI and the reports.
struct PrepareReport {
  // One line per change, in the order made, e.g. "folded BatchNormalization 'bn1' into
  // Conv 'conv1'", "dropped Identity 'id3'", "folded 4 constant nodes into initializers
  // (Concat 1, Gather 2, Shape 1)", "input 'x': [N,3,H,W] -> [N,3,48,64]".
  std::vector<std::string> actions;
  // Things left alone and why, e.g. "BatchNormalization 'bn2' not folded: 'conv2' output
  // also feeds 'relu5'". Informational; nothing is wrong with the model.
  std::vector<std::string> notes;
  int folded_bn = 0;             // BatchNormalization nodes removed
  int folded_constants = 0;      // nodes replaced by initializers (Constant nodes included)
  int dropped = 0;               // Identity and Dropout nodes removed
  int removed_initializers = 0;  // initializers nothing read after the other steps
  int nodes_before = 0;          // nodes in litemp's sense (Constant nodes not counted)
  int nodes_after = 0;
};

// Prepares `*model` in place as described at the top of this file. `dir` is the folder
// external-data locations are relative to; the prepared model holds small external data
// inline and still refers to large external data relative to `dir` (SaveModel with `dir`
// writes it inline), plus the value types ONNX shape inference found.
// On success returns OK and fills *report (cleared first). On failure returns a status
// naming the input or node at fault (an unknown input or wrong rank in `options.shapes`
// is InvalidArgument naming the input and its declared shape; a model litemp cannot load
// fails as Model::FromBytes does) and leaves *model unspecified.
// REQUIRES: model and report are not null.
Status PrepareModelProto(onnx::ModelProto* model, const std::string& dir, const PrepareOptions& options,
                         PrepareReport* report);

// Reads the model at `path`, prepares it and loads the result as a Model (external data
// resolves against the model's folder). Errors are prefixed with the path, as Model::Load's
// are. `report` may be null.
Result<std::unique_ptr<Model>> LoadPreparedModel(const std::string& path, const PrepareOptions& options,
                                                 PrepareReport* report);
// Same, from a serialized ModelProto in memory; external data resolves against `dir`.
Result<std::unique_ptr<Model>> LoadPreparedModelFromBytes(const std::string& bytes, const std::string& dir,
                                                          const PrepareOptions& options, PrepareReport* report);

}  // namespace litemp

#endif  // LITEMP_PREPARE_H_
