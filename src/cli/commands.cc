#include "cli/commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "litemp/executor.h"
#include "litemp/model.h"

namespace litemp::cli {

int Main(int argc, char** argv) {
  CLI::App app{"litemp: mixed-precision quantization of ONNX models"};
  app.require_subcommand(1);
  std::string model_path;
  auto* info = app.add_subcommand("info", "model inputs, outputs, ops, parameters");
  info->add_option("model", model_path, "ONNX model")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::fprintf(stderr, "error: %s\n", e.what());
    return 2;
  }
  auto m = Model::Load(model_path);
  if (!m.ok()) {
    std::fprintf(stderr, "error: %s\n", m.status().ToString().c_str());
    return 1;
  }
  const Graph& g = m.value()->graph();
  std::printf("nodes: %zu\n", g.nodes.size());
  Status s = CheckSupported(g);
  if (!s.ok()) std::printf("%s\n", s.ToString().c_str());
  return 0;
}

}  // namespace litemp::cli
