// Runs one ONNX backend test case directory (model.onnx + test_data_set_*/{input,output}_*.pb)
// through litemp and classifies the result.
#ifndef LITEMP_TESTS_BACKEND_BACKEND_CASE_H_
#define LITEMP_TESTS_BACKEND_BACKEND_CASE_H_

#include <string>
#include <vector>

#include "backend/tensor_compare.h"

namespace litemp::test {

struct CaseOutcome {
  enum class Kind { kPass, kFail, kSkip };
  Kind kind = Kind::kPass;
  // Skips: what made the case unsupported, for the tally: op types ("Loop"), or a bracketed
  // category ("<sequence I/O>", "<dtype bfloat16>").
  std::vector<std::string> skip_keys;
  std::string skip_reason;
  // Failures: one line each ("data set 0: output 'y': at [1,2]: got ..., expected ...").
  std::vector<std::string> failures;
};

// Loads, runs and compares every data set of the case in `dir`. A NotSupported status from
// loading, executor creation or a kernel at run time makes the case a skip, as do inputs or
// outputs that are not tensors of a dtype litemp can hold. Any other error is a failure.
CaseOutcome RunBackendCase(const std::string& dir, const Tolerance& tol);

// Op types named by a NotSupported message: either the executor's "unsupported ops: A (node
// 'x'), B (node 'y')" list, or the op of the first "node 'n' (Op)" context. "<other>" if none.
std::vector<std::string> OpsFromMessage(const std::string& msg);

// Line-based text form of an outcome (for passing it from a child process) and back.
std::string SerializeOutcome(const CaseOutcome& o);
CaseOutcome ParseOutcome(const std::string& text);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_BACKEND_BACKEND_CASE_H_
