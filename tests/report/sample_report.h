// Hand-built RunReports for the report tests: a tiny one with awkward names, and a realistic
// MobileNetV2-sized one (97 layers, TF-style long names, 10 flipped, a percent curve).
#ifndef LITEMP_TESTS_REPORT_SAMPLE_REPORT_H_
#define LITEMP_TESTS_REPORT_SAMPLE_REPORT_H_

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "litemp/report.h"

namespace litemp::testing {

// Three layers given in graph order (not PSNR order); the flipped one has a name that needs
// escaping everywhere.
inline RunReport TinyReport() {
  RunReport r;
  r.command = "run";
  r.model = "/models/tiny.onnx";
  r.precision = "int16";
  r.scheme = "min_max";
  r.config = "default";
  r.percent = 34;
  r.fp32 = AccuracyResult{0.6885, 0.8818, 1024};
  r.w8a8 = AccuracyResult{0.6836, 0.8779, 1024};
  r.mixed = AccuracyResult{0.6865, 0.8799, 1024};
  r.layers = 3;
  r.sensitivity = {
      {"conv1", "Conv", 31.123456, false, "w8a8", std::make_pair(-1.5, 6.0)},
      {"blk/a<b&c\"d',e;f", "Conv", 12.345678, true, "w16a16", std::make_pair(0.0, 6.0)},
      {"fc", "Gemm", 25.123449, false, "w8a8", std::nullopt},
  };
  r.sensitivity[1].w8a8_mse = 0.00231;
  r.flipped = {"blk/a<b&c\"d',e;f"};
  r.timings_s = {{"total", 12.34567},    {"fp32_eval", 1.23449}, {"calibrate", 2.0},   {"sensitivity", 3.5},
                 {"recalibrate", 2.25},  {"mixed_eval", 1.5}};
  r.samples = {{"eval", 1024}, {"calib", 100}, {"sens", 32}};
  r.predictions = {{"img0.jpg", 5, 5, 5, 5}, {"with,comma \"q\".jpg", 7, 7, 3, -1}};
  return r;
}

// What `litemp run` would report for MobileNetV2 (TF export): long, ';'-joined names.
inline RunReport RealisticReport() {
  RunReport r;
  r.command = "run";
  r.model = "/work/shared/models/mobilenet_v2_1.0_224/mobilenet_v2_1.0_224.onnx";
  r.precision = "int16";
  r.scheme = "min_max";
  r.config = "default_per_channel";
  r.percent = 10;
  r.fp32 = AccuracyResult{0.6884765625, 0.8798828125, 1024};
  r.w8a8 = AccuracyResult{0.68359375, 0.876953125, 1024};
  r.mixed = AccuracyResult{0.6865234375, 0.87890625, 1024};
  auto add = [&](const std::string& scope, const std::string& op, const std::string& tf_op) {
    std::string n = "MobileNetV2/" + scope + "/" + tf_op + ";StatefulPartitionedCall/MobileNetV2/" + scope +
                    "/" + tf_op + ";MobileNetV2/" + scope + "/BatchNorm/FusedBatchNormV3";
    LayerReport l;
    l.name = n;
    l.op_type = op;
    r.sensitivity.push_back(l);
  };
  add("Conv", "Conv", "Conv2D");
  add("expanded_conv/depthwise", "Conv", "depthwise");
  add("expanded_conv/project", "Conv", "Conv2D");
  for (int b = 1; b <= 16; ++b) {
    std::string s = "expanded_conv_" + std::to_string(b);
    add(s + "/expand", "Conv", "Conv2D");
    add(s + "/expand/Relu6", "Clip", "Relu6");
    add(s + "/depthwise", "Conv", "depthwise");
    add(s + "/depthwise/Relu6", "Clip", "Relu6");
    add(s + "/project", "Conv", "Conv2D");
    if (b != 1 && b != 3 && b != 6 && b != 10 && b != 13 && b != 16) add(s + "/add", "Add", "add");
  }
  add("Conv_1", "Conv", "Conv2D");
  add("Logits/AvgPool", "GlobalAveragePool", "AvgPool");
  add("Logits/Conv2d_1c_1x1", "Conv", "Conv2D");
  r.sensitivity.push_back({"MobileNetV2/Predictions/Reshape_1<softmax & \"output\">", "Softmax", 0, false, "", {}});
  // Deterministic, MobileNet-like PSNRs: depthwise and projections are the sensitive ones.
  unsigned seed = 12345;
  auto rnd = [&] {
    seed = seed * 1103515245u + 12345u;
    return ((seed >> 8) & 0xFFFF) / 65535.0;
  };
  for (auto& l : r.sensitivity) {
    double base = l.name.find("depthwise") != std::string::npos ? 22 : l.name.find("project") != std::string::npos ? 27 : 35;
    if (l.op_type == "Clip" || l.op_type == "GlobalAveragePool") base = 41;
    l.psnr = base + 12 * rnd() - 5;
    l.precision = "w8a8";
    double hi = 6 * (0.5 + rnd());
    l.output_range = std::make_pair(l.op_type == "Clip" ? 0.0 : -hi, hi);
  }
  r.sensitivity[1].psnr = 9.8731;  // the first depthwise: notoriously bad in MobileNetV2
  r.sensitivity.back().psnr = INFINITY;  // Softmax has no quantizer that changes anything
  r.sensitivity.back().precision = "fp32";
  r.sensitivity.back().output_range.reset();
  r.layers = static_cast<int>(r.sensitivity.size());
  // Flip the lowest ceil(N * 10 / 100).
  std::vector<std::pair<double, int>> order;
  for (size_t i = 0; i < r.sensitivity.size(); ++i) order.emplace_back(r.sensitivity[i].psnr, static_cast<int>(i));
  std::stable_sort(order.begin(), order.end());
  int k = static_cast<int>(std::ceil(r.layers * r.percent / 100));
  for (int j = 0; j < k; ++j) {
    auto& l = r.sensitivity[order[j].second];
    l.flipped = true;
    l.precision = "w16a16";
    r.flipped.push_back(l.name);
  }
  r.timings_s = {{"fp32_eval", 4.812}, {"calibrate", 1.377}, {"w8a8_eval", 6.104}, {"sensitivity", 9.731},
                 {"recalibrate", 1.402}, {"mixed_eval", 6.251}, {"export", 0.388}, {"total", 30.91}};
  r.samples = {{"calib", 100}, {"sens", 32}, {"eval", 1024}};
  r.percent_curve = {{0, 0, 0.68359375},     {1, 2, 0.6845703125},  {2, 3, 0.6845703125}, {5, 6, 0.685546875},
                     {10, k, 0.6865234375}, {15, 16, 0.6865234375}, {20, 21, 0.6875},     {30, 32, 0.6875},
                     {50, 53, 0.68798828125}, {100, r.layers, 0.6884765625}};
  for (int i = 0; i < 40; ++i) {
    int64_t label = (i * 37) % 1000 + 1;
    r.predictions.push_back({"ILSVRC2012_val_000" + std::to_string(10000 + i) + ".JPEG", label, label,
                             i % 7 == 0 ? label + 1 : label, i % 11 == 0 ? label + 2 : label});
  }
  return r;
}

}  // namespace litemp::testing

#endif  // LITEMP_TESTS_REPORT_SAMPLE_REPORT_H_
