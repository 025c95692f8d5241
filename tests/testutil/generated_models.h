// Small models of the kinds users deploy besides classifiers, built with the ONNX protobuf
// API at test time (seeded random weights): the workflow, preparation and exports are
// tested on them without labels.
#ifndef LITEMP_TESTS_TESTUTIL_GENERATED_MODELS_H_
#define LITEMP_TESTS_TESTUTIL_GENERATED_MODELS_H_

#include "testutil/model_builder.h"

namespace litemp::test {

// x [N,3,16,16] -> Conv(s2) BN Relu -> Conv(s2) Relu -> ConvTranspose(s2) Relu ->
// ConvTranspose(s2) -> Sigmoid -> y [N,3,16,16]: an image-to-image encoder-decoder.
ModelBuilder EncoderDecoder();

// tokens [N,8,16] and pos [N,8,16] -> tokens + pos * scale -> LayerNorm -> single-head attention (MatMul,
// Transpose, Softmax) -> residual -> LayerNorm -> MLP with GELU (Erf form) -> residual ->
// out [N,8,16]: a transformer block with two inputs.
ModelBuilder TransformerBlock();

// x [N,tokens,hidden] -> `layers` BERT encoder layers as PyTorch exports them (opset 17):
// Q/K/V MatMul + bias, Reshape/Transpose to `heads` heads, scaled Q K^T, Softmax, P V, output
// projection, residual, LayerNorm, MLP with GELU in its Erf form, residual, LayerNorm ->
// y [N,tokens,hidden]. The defaults are a small one for tests; bench/gen_model writes
// BERT-base sizes (768 wide, 12 heads, MLP 3072).
// REQUIRES: layers >= 1, hidden % heads == 0.
ModelBuilder BertEncoder(int layers = 2, int tokens = 16, int hidden = 64, int heads = 4);

// x [N,3,image,image] -> an EfficientNet-B0-like CNN (random weights, no BatchNorm): SiLU
// (Sigmoid, Mul) after every Conv but the projections, depthwise 3x3, squeeze-excite
// (GlobalAveragePool, two 1x1 Convs, Sigmoid, Mul), residual Adds; B0's widths and
// repeats over its first `stages` stages (1..7), then a 1x1 Conv to 1280, pooling, Flatten
// and a Gemm -> y [N,1000]. bench/gen_model writes the whole 224 one.
// REQUIRES: image % 32 == 0, 1 <= stages <= 7.
ModelBuilder EfficientNetLike(int image = 32, int stages = 3);

// x [N,3,32,32] -> Conv(s2) Relu -> Conv(s2) BN Relu -> two heads: boxes [N,4,8,8]
// (Conv 1x1) and scores [N,5] (GlobalAveragePool, Flatten, Gemm): a two-output detector head.
ModelBuilder DetectorHead();

}  // namespace litemp::test

#endif  // LITEMP_TESTS_TESTUTIL_GENERATED_MODELS_H_
