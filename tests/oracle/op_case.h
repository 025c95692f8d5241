// Single-node ONNX test models for the ORT oracle: a case description, seeded input
// generators, attribute builders, and the ModelProto builder.
#ifndef LITEMP_TESTS_ORACLE_OP_CASE_H_
#define LITEMP_TESTS_ORACLE_OP_CASE_H_

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp::test {

struct CaseInput {
  std::string name;       // empty: an omitted optional input
  Tensor value;
  bool constant = false;  // an initializer rather than a graph input
};

// One node with its inputs; its outputs are the graph outputs y0, y1, ...
struct OpCase {
  std::string name;  // unique within the op, e.g. "group2_pad1"
  std::string op_type;
  std::string domain;
  int opset = 17;
  std::vector<CaseInput> inputs;
  std::vector<onnx::AttributeProto> attrs;
  int num_outputs = 1;
  // Output dtypes for when ONNX shape inference cannot tell (ops newer than libonnx);
  // otherwise the inferred type, falling back to the first input's dtype.
  std::vector<DType> output_dtypes;
  // Tolerance: |litemp - ort| <= rtol * max(1, |ort|).
  double rtol = 1e-4;
  // When set, input 0 is not a graph input but the output of an identity 3x3 Conv of graph
  // input "x0_pre" (fed input 0's data): the op then sees a Conv output, which the runtime
  // may hold channels-last. See WithConvProducer.
  bool conv_producer = false;
};

// For each case whose input 0 is a rank-4 float32 runtime input, a copy named
// "<name>_after_conv" with conv_producer set.
std::vector<OpCase> WithConvProducer(const std::vector<OpCase>& cases);
// The graph inputs of `c` with their data (what ORT and litemp are fed).
std::vector<std::pair<std::string, Tensor>> CaseFeeds(const OpCase& c);

// Fluent helpers so a case reads like the node it builds.
class CaseBuilder {
 public:
  CaseBuilder(std::string op_type, std::string name, int opset = 17);
  CaseBuilder& In(Tensor v);           // runtime input "x<k>"
  CaseBuilder& Const(Tensor v);        // initializer "x<k>"
  CaseBuilder& Omit();                 // omitted optional input
  CaseBuilder& Attr(onnx::AttributeProto a);
  CaseBuilder& Outputs(int n);
  CaseBuilder& OutTypes(std::vector<DType> t);
  CaseBuilder& Rtol(double r);
  CaseBuilder& Domain(std::string d);
  OpCase Build() const { return c_; }
  operator OpCase() const { return c_; }  // NOLINT: lets builders fill vectors of cases

 private:
  OpCase c_;
};

// Attribute builders.
onnx::AttributeProto AttrI(const std::string& name, int64_t v);
onnx::AttributeProto AttrF(const std::string& name, float v);
onnx::AttributeProto AttrS(const std::string& name, const std::string& v);
onnx::AttributeProto AttrInts(const std::string& name, const std::vector<int64_t>& v);
onnx::AttributeProto AttrFloats(const std::string& name, const std::vector<float>& v);
onnx::AttributeProto AttrT(const std::string& name, const Tensor& v);

// Seeded inputs, all drawn from one generator that each test resets with ResetRandom, so
// every call differs while a rerun reproduces the same data.
Tensor Rand(const Shape& shape, float lo = -1.f, float hi = 1.f);
// |x| in [lo, hi) with a random sign: safe divisors.
Tensor RandNonZero(const Shape& shape, float lo = 0.5f, float hi = 2.f);
// Integer values in [lo, hi] (as float32): makes ties and equalities likely.
Tensor RandIntegral(const Shape& shape, int lo, int hi);
// Integers of dtype `dt` in [lo, hi].
Tensor RandInt(const Shape& shape, int64_t lo, int64_t hi, DType dt = DType::kInt64);
Tensor RandBool(const Shape& shape);
Tensor I64(const std::vector<int64_t>& v, Shape shape = {});
Tensor I64Scalar(int64_t v);
Tensor F32(const std::vector<float>& v, Shape shape = {});
// Element-wise dtype conversion (float32 <-> any numeric, bool; float16 rounds to nearest even).
Tensor CastTo(const Tensor& t, DType dt);
// Resets the generator (each test calls this, so results do not depend on test order).
void ResetRandom(uint32_t seed);

// Serialized single-node ModelProto for `c`.
Result<std::string> BuildModel(const OpCase& c);

// The cases for each op type ("Conv", or "domain::Op"), filled by the Add*Cases functions.
using CaseTable = std::map<std::string, std::function<std::vector<OpCase>()>>;
void AddElementwiseCases(CaseTable* t);  // elementwise_cases.cc
void AddBinaryCases(CaseTable* t);       // binary_cases.cc
void AddNnCases(CaseTable* t);           // nn_cases.cc
void AddPoolCases(CaseTable* t);         // pool_cases.cc
void AddMovementCases(CaseTable* t);     // movement_cases.cc
void AddReduceCases(CaseTable* t);       // reduce_cases.cc
// All of the above.
const CaseTable& AllCases();

}  // namespace litemp::test

#endif  // LITEMP_TESTS_ORACLE_OP_CASE_H_
