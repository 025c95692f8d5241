// Model: an ONNX model loaded from disk, its litemp Graph, and the original protobuf
// (kept so exporters can write a model that differs only where they change it).
//
// Loading parses the protobuf with ONNX's own schema, resolves external-data files,
// folds Constant nodes into initializers, runs ONNX shape inference (in a child process,
// since libonnx crashes on some malformed models; a failure only loses the inferred
// shapes), names nameless nodes and sorts them topologically. Thread-compatible;
// immutable after Load.
//
// External data: an initializer of at least kMapExternalDataBytes is not copied. Its graph
// tensor views a private memory mapping of the data file (src/onnx/external_data.h; a copy
// only when its offset is not a multiple of its element size or the file cannot be mapped),
// and proto() keeps referring to the file, relative to external_data_dir(). Smaller ones are
// read into proto() as inline data, as ONNX shape inference needs (a Reshape's target shape,
// say). So a model's weights cost memory only as the pages are read, and the kernel can drop
// them again: models larger than memory load. The data files must not be truncated or
// rewritten in place while the model (or a tensor taken from it) is alive.
#ifndef LITEMP_MODEL_H_
#define LITEMP_MODEL_H_

#include <memory>
#include <string>

#include "litemp/graph.h"
#include "litemp/status.h"

namespace onnx {
class ModelProto;
class TensorProto;
}  // namespace onnx

namespace litemp {

class Model {
 public:
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Loads `path`. Fails with a message naming the file on unreadable, truncated or
  // non-ONNX input, on cycles and dangling inputs, and on unsupported tensor types.
  static Result<std::unique_ptr<Model>> Load(const std::string& path);
  // Same, from an in-memory serialized ModelProto; external data resolves against `dir`.
  static Result<std::unique_ptr<Model>> FromBytes(const std::string& bytes, const std::string& dir);

  const Graph& graph() const { return graph_; }
  Graph& mutable_graph() { return graph_; }
  // The protobuf, with the inferred value types; large external data still refers to its
  // files (see above): save it with SaveModel(proto(), path, external_data_dir()).
  const onnx::ModelProto& proto() const { return *proto_; }
  const std::string& path() const { return path_; }
  // The folder external-data locations in proto() are relative to (the model's folder, or
  // FromBytes' `dir`).
  const std::string& external_data_dir() const { return external_data_dir_; }

 private:
  Model();
  std::unique_ptr<onnx::ModelProto> proto_;
  Graph graph_;
  std::string path_;
  std::string external_data_dir_;
};

// External-data initializers of at least this many bytes are memory-mapped, not copied.
constexpr int64_t kMapExternalDataBytes = int64_t{64} << 10;

// Converts an ONNX TensorProto (raw or typed fields). Internal error for external data: see
// the overload below.
Result<Tensor> TensorFromProto(const onnx::TensorProto& p);
// The same, reading external data from files under `external_dir` (a view of the file's
// shared mapping as Model::Load gives, whatever its size). Fails as Model::Load does on a bad
// location or range, naming the tensor.
Result<Tensor> TensorFromProto(const onnx::TensorProto& p, const std::string& external_dir);
// Fills `p` (dims, data_type, raw_data) from `t` (converted to plain layout first).
void TensorToProto(const Tensor& t, onnx::TensorProto* p);
// Reads a serialized TensorProto file (the ONNX backend test format).
Result<Tensor> ReadTensorFile(const std::string& path);

// Writes `model` to `path` atomically (temp file + rename). Initializers whose data is still
// in external files (relative to `external_dir`; Model::external_data_dir()) are written
// inline, so the file stands alone wherever it is written: their bytes are read into memory
// for the write (a copy of them), and the file must stay under protobuf's 2 GiB limit.
// Fails naming the path or the initializer; `model` is not changed either way.
Status SaveModel(const onnx::ModelProto& model, const std::string& path, const std::string& external_dir);

}  // namespace litemp

#endif  // LITEMP_MODEL_H_
