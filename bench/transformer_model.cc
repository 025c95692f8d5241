// Writes a BERT-style encoder (tests/testutil/generated_models.h: BertEncoder, seeded
// random weights) for the benchmarks that compare litemp with ONNX Runtime on a transformer:
//   ./build/bench/transformer_model OUT.onnx [LAYERS=2] [TOKENS=128] [HIDDEN=768] [HEADS=12]
//   bash bench/compare_ort.sh OUT.onnx
#include <cstdio>
#include <cstdlib>

#include "litemp/fileio.h"
#include "testutil/generated_models.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "error: usage: transformer_model OUT.onnx [LAYERS] [TOKENS] [HIDDEN] [HEADS]\n");
    return 1;
  }
  auto arg = [&](int i, int def) { return argc > i ? std::atoi(argv[i]) : def; };
  const int layers = arg(2, 2), tokens = arg(3, 128), hidden = arg(4, 768), heads = arg(5, 12);
  if (layers < 1 || tokens < 1 || heads < 1 || hidden < heads || hidden % heads) {
    std::fprintf(stderr, "error: need LAYERS, TOKENS >= 1 and HIDDEN a multiple of HEADS\n");
    return 1;
  }
  litemp::Status s = litemp::WriteFileAtomic(argv[1], litemp::test::BertEncoder(layers, tokens, hidden, heads).Bytes());
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("%s\n", argv[1]);
  return 0;
}
