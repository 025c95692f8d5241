// Array forms of the float functions whose scalar libm calls dominated Softmax, Sigmoid
// (SiLU/Swish) and GELU (Erf): a BERT-base layer spent 28% of its time in erff and
// expf, an EfficientNet-like CNN over half of its time in Sigmoid.
//
// ExpFloats and ErfFloats compute in double, where a short polynomial is accurate to
// ~1e-13 (a few 1e-6 ulp of the float result), and round once to float: the correctly
// rounded result unless the double lies within 2^-8 ulp of a midpoint between two
// floats. Those rare elements (about 0.8%) and the edge ranges (overflow, subnormal
// results, NaN) take a scalar path. So the results do not depend on how the compiler
// vectorises or contracts the double arithmetic: AVX2 and AVX-512 builds give the same
// bits. SigmoidFloats computes in float (below).
#ifndef LITEMP_KERNELS_VEC_MATH_H_
#define LITEMP_KERNELS_VEC_MATH_H_

#include <cstdint>

namespace litemp {

// y[i] = std::exp(x[i]) bit for bit, given a C library whose expf errs by less than
// 0.5 + 2^-8 ulp (glibc's is the correctly rounded value except within 0.002 ulp of a
// midpoint, where the scalar path calls it). tests/kernels/elementwise/vec_math_test.cc
// compares a sample of all floats, and all 2^32 with LITEMP_EXHAUSTIVE=1. y may equal x.
void ExpFloats(const float* x, float* y, int64_t n);

// y[i] = erf(x[i]) correctly rounded: elements near a midpoint, tiny ones and NaN take
// long double erfl (x87 extended on x86-64, accurate far inside the 2^-8 ulp window).
// Not glibc's erff, which is off by up to 0.86 ulp and differs between C library
// versions. Checked like ExpFloats, against (float)erfl. y may equal x.
void ErfFloats(const float* x, float* y, int64_t n);

// y = 1 / (1 + e^-x) (Sigmoid, and SiLU's x * Sigmoid(x)) in float lanes: within 2.5 ulp
// of the exact value wherever it is a normal float (checked on all of them), the same bits
// on every x86-64 build (no libm on the fast path; std::fma is exact, so a build without
// FMA instructions gets the same bits, slowly). 0.49 ns a float against 1.0-1.4 through
// ExpFloats and 3.0 for the scalar std::exp form (bench/vec_math_bench, Intel Xeon); 0.22
// against 1.9 for the scalar form on AMD EPYC Zen 5 (AVX-512).
// Below -88 and for NaN, 1 / (1 + std::exp(-x)). y may equal x.
void SigmoidFloats(const float* x, float* y, int64_t n);

// y = Sigmoid(x) * x (SiLU) in one pass: SigmoidFloats's value times x, the same bits as
// the two steps (for NaN x, the Sigmoid's NaN). y may equal x.
void SiLUFloats(const float* x, float* y, int64_t n);

// y = 0.5 * x * (1 + erf(x * 0.70710677)) with ErfFloats: Gelu without the tanh
// approximation, the same float arithmetic as its scalar form. y may equal x.
void GeluErfFloats(const float* x, float* y, int64_t n);

// The maximum of x[0..n), n >= 1, in lanes. It equals a left-to-right std::max's (which
// keeps its first argument unless the second is greater): every lane starts from x[0], so a
// NaN counts only there, as in the scalar loop. Only the sign of a zero maximum may differ
// (Softmax cannot show it: exp(+-0) = 1, and LogSoftmax's (x - max) - log(sum) has
// log(sum) > 0 when two zeros tie).
float MaxOfFloats(const float* x, int64_t n);

}  // namespace litemp

#endif  // LITEMP_KERNELS_VEC_MATH_H_
