// Lite-MP through the C++ API, step by step (what `litemp run` does, minus the reports):
// calibrate a W8A8 simulation, rank layers by PSNR, flip the most sensitive 10% to int16,
// recalibrate, compare accuracies, export. Built with the project; tests run it on MNIST.
//
//   lite_mp MODEL IDX_IMAGES IDX_LABELS OUT_DIR
#include <cstdio>
#include <filesystem>

#include "litemp/evaluate.h"
#include "litemp/export.h"
#include "litemp/mixed_precision.h"
#include "litemp/sensitivity.h"

using namespace litemp;

namespace {

Status Main(const std::string& model_path, const DataOptions& data_options, const std::string& out_dir) {
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Model> model, Model::Load(model_path));
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Dataset> data, Dataset::Open(data_options));
  Split split = MakeSplit(data->size(), /*calib=*/100, /*sens=*/32, /*eval_max=*/1000, /*seed=*/0);

  // 1-2. A W8A8 simulation ("default" config, min_max), calibrated.
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<QuantSim> sim, QuantSim::Create(*model, QuantSimOptions{}));
  LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*sim, *data, split.calib, 32, /*quiet=*/true));
  EvalOptions eo;
  eo.quiet = true;
  eo.run = sim->SimOptions();
  Accuracy w8a8;
  LITEMP_RETURN_IF_ERROR(EvaluateClassification(sim->executor(), sim->inputs(), *data, split.eval, eo, &w8a8));

  // 4. Per-layer sensitivity: a PSNR metric that caches the FP32 outputs (make_psnr_eval_fn),
  // then analyze_per_layer_sensitivity. (AnalyzePerLayerSensitivity(*sim, samples) is the
  // fast sweep; the metric form runs the whole simulation per layer, as AIMET does.)
  LITEMP_ASSIGN_OR_RETURN(Tensor samples, data->LoadBatch(split.sens));
  LITEMP_ASSIGN_OR_RETURN(SimMetric metric, MakePsnrEvalFn(*sim, samples));
  LITEMP_ASSIGN_OR_RETURN(std::vector<LayerSensitivity> sens, AnalyzePerLayerSensitivity(*sim, metric));

  // 5-6. flip_layers_to_higher_precision(sim, sensitivity, 10%, int16), then recalibrate.
  FlipSelection ten_percent;
  ten_percent.percent = 10;
  LITEMP_ASSIGN_OR_RETURN(FlipTarget int16, ParseFlipTarget("int16"));
  LITEMP_ASSIGN_OR_RETURN(std::vector<int> flipped, FlipLayersToHigherPrecision(*sim, sens, ten_percent, int16));
  LITEMP_RETURN_IF_ERROR(CalibrateOnDataset(*sim, *data, split.calib, 32, true));

  // 7. Mixed-precision accuracy and export (encodings, FP32 model, QDQ model).
  LITEMP_RETURN_IF_ERROR(sim->SyncConstants());
  eo.run = sim->SimOptions();
  Accuracy mixed;
  LITEMP_RETURN_IF_ERROR(EvaluateClassification(sim->executor(), sim->inputs(), *data, split.eval, eo, &mixed));
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  LITEMP_RETURN_IF_ERROR(ExportSim(*sim, *model, out_dir, "model", "1.0.0"));

  std::printf("layers %zu, most sensitive '%s' (%.2f dB), flipped %zu\n", sens.size(), sens[0].name.c_str(),
              sens[0].psnr, flipped.size());
  std::printf("w8a8 top-1 %.4f, mixed top-1 %.4f (%lld samples)\n", w8a8.top1, mixed.top1,
              static_cast<long long>(mixed.samples));
  return Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: lite_mp MODEL IDX_IMAGES IDX_LABELS OUT_DIR\n");
    return 2;
  }
  DataOptions d;
  d.idx_images = argv[2];
  d.idx_labels = argv[3];
  d.std = {1.f / 255.f};  // the shared MNIST model takes raw 0..255 pixels
  Status s = Main(argv[1], d, argv[4]);
  if (!s.ok()) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
