#include "litemp/kernel_set.h"

#include <gtest/gtest.h>

namespace litemp {
namespace {

TEST(KernelSet, ParsesItsTwoNamesAndNamesTheFlagOtherwise) {
  KernelSet k = KernelSet::kNative;
  ASSERT_TRUE(ParseKernelSet("portable", "--kernels", &k).ok());
  EXPECT_EQ(k, KernelSet::kPortable);
  ASSERT_TRUE(ParseKernelSet("native", "--kernels", &k).ok());
  EXPECT_EQ(k, KernelSet::kNative);
  Status s = ParseKernelSet("fast", "--kernels", &k);
  EXPECT_EQ(s.ToString(), "--kernels must be portable or native, got 'fast'");
  EXPECT_STREQ(KernelSetName(KernelSet::kPortable), "portable");
  EXPECT_STREQ(KernelSetName(KernelSet::kNative), "native");
}

// Once a kernel ran, oneDNN's instruction set is fixed: the set in use may be chosen again,
// the other one is refused, and the set stays.
TEST(KernelSet, IsFixedOnceUsed) {
  Result<KernelSet> used = UseKernelSet();
  ASSERT_TRUE(used.ok()) << used.status().ToString();
  const KernelSet k = used.value();
  const KernelSet other = k == KernelSet::kPortable ? KernelSet::kNative : KernelSet::kPortable;
  EXPECT_TRUE(SetKernelSet(k).ok());
  Status s = SetKernelSet(other);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.ToString().find(std::string("already runs the ") + KernelSetName(k) + " kernels"), std::string::npos)
      << s.ToString();
  EXPECT_EQ(UseKernelSet().value(), k);
}

// Portable caps oneDNN at AVX2 on any CPU that has it; native on an AVX-512 CPU runs AVX-512.
TEST(KernelSet, PortableRunsAvx2AndNativeTheWidestIsa) {
  const KernelSet k = UseKernelSet().value();
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  if (k == KernelSet::kPortable) {
    if (__builtin_cpu_supports("avx2")) EXPECT_EQ(KernelIsa(), "avx2");
    EXPECT_FALSE(KernelsUseAvx512());
  } else {
    EXPECT_EQ(KernelsUseAvx512(), avx512) << KernelIsa();
  }
}

}  // namespace
}  // namespace litemp
