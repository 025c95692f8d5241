// Runs oracle cases through litemp and ONNX Runtime and compares the outputs.
#ifndef LITEMP_TESTS_ORACLE_ORACLE_HARNESS_H_
#define LITEMP_TESTS_ORACLE_ORACLE_HARNESS_H_

#include <string>
#include <vector>

#include "oracle/op_case.h"
#include "oracle/ort_runner.h"

namespace litemp::test {

struct CaseReport {
  enum class Kind { kMatch, kMismatch, kUnsupported };
  std::string name;
  Kind kind = Kind::kMatch;
  std::string message;  // why it mismatched or is unsupported
};

// Builds each case's model, runs it through litemp and (in one node process) through ORT,
// and compares every output: dtypes and shapes exactly, integers and bools exactly, floats
// with |litemp - ort| <= rtol * max(1, |ort|) (rtol from the case, 1e-4 by default).
// A NotSupported status from litemp makes the case kUnsupported; any other litemp or ORT
// error is a kMismatch carrying the message.
std::vector<CaseReport> RunOracleCases(const std::vector<OpCase>& cases);

// Runs `model_path` on `inputs` through both and compares with the same rule.
// Returns one message per mismatching output (empty when all match), or an error status.
Result<std::vector<std::string>> CompareModelWithOrt(const std::string& model_path, const NamedTensors& inputs,
                                                     double rtol);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_ORACLE_ORACLE_HARNESS_H_
