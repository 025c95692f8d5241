// Helpers for the reduce kernel tests.
#ifndef LITEMP_TESTS_KERNELS_REDUCE_REDUCE_TEST_UTIL_H_
#define LITEMP_TESTS_KERNELS_REDUCE_REDUCE_TEST_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "testutil/kernel_runner.h"

namespace litemp::test {

// NodeSpec without aggregate initialisation (which -Wextra flags for the omitted members).
inline NodeSpec Spec(std::string op, std::vector<std::pair<std::string, Attribute>> attrs = {}) {
  NodeSpec s;
  s.op_type = std::move(op);
  s.attrs = std::move(attrs);
  return s;
}

}  // namespace litemp::test

#endif  // LITEMP_TESTS_KERNELS_REDUCE_REDUCE_TEST_UTIL_H_
