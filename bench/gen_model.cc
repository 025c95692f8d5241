// Writes the generated models (tests/testutil/generated_models.h, seeded random weights) the
// benchmarks time beside ONNX Runtime on model families other than the shipped ones:
//   ./build/bench/gen_model bert OUT.onnx [LAYERS=2] [TOKENS=128] [HIDDEN=768] [HEADS=12]
//   ./build/bench/gen_model effnet OUT.onnx [IMAGE=224]    (EfficientNet-B0-like, SiLU)
//   bash bench/compare_ort.sh OUT.onnx
#include <cstdio>
#include <cstdlib>
#include <string>

#include "litemp/fileio.h"
#include "testutil/generated_models.h"

int main(int argc, char** argv) {
  auto usage = [] {
    std::fprintf(stderr,
                 "error: usage: gen_model bert OUT.onnx [LAYERS] [TOKENS] [HIDDEN] [HEADS]"
                 " | gen_model effnet OUT.onnx [IMAGE]\n");
    return 1;
  };
  if (argc < 3) return usage();
  const std::string kind = argv[1];
  auto arg = [&](int i, int def) { return argc > i ? std::atoi(argv[i]) : def; };
  litemp::test::ModelBuilder model;
  if (kind == "bert") {
    const int layers = arg(3, 2), tokens = arg(4, 128), hidden = arg(5, 768), heads = arg(6, 12);
    if (layers < 1 || tokens < 1 || heads < 1 || hidden < heads || hidden % heads) {
      std::fprintf(stderr, "error: need LAYERS, TOKENS >= 1 and HIDDEN a multiple of HEADS\n");
      return 1;
    }
    model = litemp::test::BertEncoder(layers, tokens, hidden, heads);
  } else if (kind == "effnet") {
    const int image = arg(3, 224);
    if (image < 32 || image % 32) {
      std::fprintf(stderr, "error: IMAGE must be a multiple of 32\n");
      return 1;
    }
    model = litemp::test::EfficientNetLike(image, 7);
  } else {
    return usage();
  }
  litemp::Status s = litemp::WriteFileAtomic(argv[2], model.Bytes());
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    return 1;
  }
  std::printf("%s\n", argv[2]);
  return 0;
}
