// Small generated inputs for CLI tests: a tiny classifier (built with
// testutil/model_builder.h), and a folder of raw u8 .bin images with labels.csv.
#ifndef LITEMP_TESTS_CLI_TINY_INPUTS_H_
#define LITEMP_TESTS_CLI_TINY_INPUTS_H_

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "litemp/tensor.h"
#include "testutil/model_builder.h"

namespace litemp::test {

// x [N,1,4,4] -> Conv "conv" (4 filters 3x3, pad 1) -> Relu "relu" -> GlobalAveragePool
// "gap" -> Flatten "flat" -> Gemm "fc" -> y [N,3]. Seeded weights. With `log_layer`, a
// Mul "square" (x*x) and a Log "log" come first: 8-bit quantization rounds the smallest
// squares to 0, so log gives -inf in the simulation while FP32 stays finite.
ModelBuilder TinyClassifier(bool log_layer = false);

// Writes `n` raw u8 4x4x1 images "img<i>.bin" (seeded pixels in [1, 255], the first 1) and
// labels.csv ("file,label", labels i % classes) into `dir`.
void WriteTinyDataset(const std::string& dir, int n, int classes = 3);

// Flags for the dataset written by WriteTinyDataset.
std::vector<std::string> TinyDataFlags(const std::string& dir);

}  // namespace litemp::test

#endif  // LITEMP_TESTS_CLI_TINY_INPUTS_H_
