// Builds small ONNX models in tests: inputs, outputs, initializers and nodes, then a Model.
#ifndef LITEMP_TESTS_TESTUTIL_MODEL_BUILDER_H_
#define LITEMP_TESTS_TESTUTIL_MODEL_BUILDER_H_

#include <onnx/onnx_pb.h>

#include <memory>
#include <string>
#include <vector>

#include "litemp/model.h"

namespace litemp::test {

class ModelBuilder {
 public:
  explicit ModelBuilder(int opset = 13);
  // A float32 (or `elem`) graph input/output; a dim < 0 is symbolic ("N" for dim 0, "d<i>"
  // otherwise).
  ModelBuilder& Input(const std::string& name, std::vector<int64_t> dims, int elem = onnx::TensorProto::FLOAT);
  ModelBuilder& Output(const std::string& name, std::vector<int64_t> dims, int elem = onnx::TensorProto::FLOAT);
  ModelBuilder& Initializer(const std::string& name, const Tensor& t);
  // Initializer `name` = `t` (plain layout) stored as ONNX external data: writes its bytes
  // into `dir`/`location` at `offset` (creating or extending the file; other bytes are kept)
  // and adds the initializer with location, offset and length entries.
  ModelBuilder& ExternalInitializer(const std::string& name, const Tensor& t, const std::string& dir,
                                    const std::string& location, int64_t offset);
  ModelBuilder& Node(const std::string& op, const std::string& name, std::vector<std::string> inputs,
                     std::vector<std::string> outputs, std::vector<onnx::AttributeProto> attrs = {},
                     const std::string& domain = "");
  // Declares `domain` at `version` in opset_import (Node declares unknown domains at 1).
  ModelBuilder& Opset(const std::string& domain, int version);
  onnx::ModelProto& proto() { return m_; }
  const onnx::ModelProto& proto() const { return m_; }
  std::string Bytes() const;
  // Model::FromBytes of the proto (a failed load is returned, not asserted).
  Result<std::unique_ptr<Model>> Build() const;

 private:
  onnx::ModelProto m_;
};

onnx::AttributeProto IntsAttr(const std::string& name, const std::vector<int64_t>& v);
onnx::AttributeProto IntAttr(const std::string& name, int64_t v);
onnx::AttributeProto FloatAttr(const std::string& name, float v);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_MODEL_BUILDER_H_
