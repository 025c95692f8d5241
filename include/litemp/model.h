// Model: an ONNX model loaded from disk, its litemp Graph, and the original protobuf
// (kept so exporters can write a model that differs only where they change it).
//
// Loading parses the protobuf with ONNX's own schema, resolves external-data files,
// folds Constant nodes into initializers, runs ONNX shape inference (in a child process,
// since libonnx crashes on some malformed models; a failure only loses the inferred
// shapes), names nameless nodes and sorts them topologically. Thread-compatible;
// immutable after Load.
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
  const onnx::ModelProto& proto() const { return *proto_; }
  const std::string& path() const { return path_; }

 private:
  Model();
  std::unique_ptr<onnx::ModelProto> proto_;
  Graph graph_;
  std::string path_;
};

// Converts an ONNX TensorProto (raw or typed fields; external data already resolved).
Result<Tensor> TensorFromProto(const onnx::TensorProto& p);
// Fills `p` (dims, data_type, raw_data) from `t` (converted to plain layout first).
void TensorToProto(const Tensor& t, onnx::TensorProto* p);
// Reads a serialized TensorProto file (the ONNX backend test format).
Result<Tensor> ReadTensorFile(const std::string& path);

// Writes `model` to `path` atomically (temp file + rename).
Status SaveModel(const onnx::ModelProto& model, const std::string& path);

}  // namespace litemp

#endif  // LITEMP_MODEL_H_
