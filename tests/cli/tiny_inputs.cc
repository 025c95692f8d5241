#include "cli/tiny_inputs.h"

#include <random>

#include "cli/cli_runner.h"
#include "litemp/model.h"

namespace litemp::test {

namespace {

Tensor Seeded(const Shape& shape, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  Tensor t(DType::kFloat32, shape);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = dist(rng);
  return t;
}

}  // namespace

ModelBuilder TinyClassifier(bool log_layer) {
  ModelBuilder b;
  b.Input("x", {-1, 1, 4, 4});
  std::string first = "x";
  if (log_layer) {
    b.Node("Mul", "square", {"x", "x"}, {"sq"});
    b.Node("Log", "log", {"sq"}, {"lg"});
    first = "lg";
  }
  b.Initializer("w", Seeded({4, 1, 3, 3}, 1)).Initializer("b", Seeded({4}, 2));
  b.Node("Conv", "conv", {first, "w", "b"}, {"c"}, {IntsAttr("pads", {1, 1, 1, 1})});
  b.Node("Relu", "relu", {"c"}, {"r"});
  b.Node("GlobalAveragePool", "gap", {"r"}, {"g"});
  b.Node("Flatten", "flat", {"g"}, {"f"});
  b.Initializer("fw", Seeded({4, 3}, 3)).Initializer("fb", Seeded({3}, 4));
  b.Node("Gemm", "fc", {"f", "fw", "fb"}, {"y"});
  b.Output("y", {-1, 3});
  return b;
}

void WriteTinyDataset(const std::string& dir, int n, int classes) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> pix(1, 255);
  std::string csv = "file,label\n";
  for (int i = 0; i < n; ++i) {
    std::string name = "img" + std::to_string(i) + ".bin";
    std::string px(16, '\0');
    for (auto& c : px) c = static_cast<char>(pix(rng));
    px[0] = 1;  // a dark pixel: its square is below half an 8-bit step (see TinyClassifier)
    WriteBytes(dir + "/" + name, px);
    csv += name + "," + std::to_string(i % classes) + "\n";
  }
  WriteBytes(dir + "/labels.csv", csv);
}

std::vector<std::string> TinyDataFlags(const std::string& dir) {
  return {"--images", dir, "--labels", dir + "/labels.csv", "--raw-shape", "4,4,1"};
}

}  // namespace litemp::test
