// Run reports: everything `litemp run` / `litemp analyze` learned, and the writers for
// DIR/summary.json, sensitivity.csv, sensitivity.json, predictions.csv and report.html
// (self-contained: inline SVG and CSS, no network). Formats: docs/formats/reports.md.
#ifndef LITEMP_REPORT_H_
#define LITEMP_REPORT_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "litemp/fidelity.h"
#include "litemp/status.h"

namespace litemp {

struct AccuracyResult {
  double top1 = 0, top5 = 0;
  int64_t samples = 0;
};

struct LayerReport {
  std::string name;     // node name
  std::string op_type;
  double psnr = 0;      // dB, sensitivity sweep (only this layer quantized)
  bool flipped = false;
  std::string precision;  // after the flip: "w8a8", "w16a16", "fp16", "w8a16", ...
  // Encoding range of the layer's output activation quantizer, when it has one.
  std::optional<std::pair<double, double>> output_range;
  // MSE of the layer's output, all-W8A8 simulation vs FP32 (PerLayerMse), when measured.
  std::optional<double> w8a8_mse;
};

struct PercentPoint {  // one point of the optional accuracy-vs-percent sweep
  double percent = 0;
  int flipped = 0;
  double top1 = 0;                  // NaN without labels
  std::optional<Fidelity> fidelity;  // vs FP32
};

struct Prediction {
  std::string file;
  int64_t label = 0;                         // -1 without labels
  int64_t fp32 = -1, w8a8 = -1, mixed = -1;  // top-1 class; -1 when not evaluated
};

struct RunReport {
  std::string command;    // "run" or "analyze"
  std::string model;      // path
  std::string precision;  // flip precision ("int16", "fp16", "w8a16")
  std::string scheme, config;
  double percent = 0;
  std::optional<AccuracyResult> fp32, w8a8, mixed;  // with labels only
  // Fidelity to FP32 on the evaluation set, labels or not: "w8a8" and "mixed".
  std::optional<Fidelity> w8a8_fidelity, mixed_fidelity;
  std::string output;                  // --output: the one output scored, or empty (all)
  std::vector<std::string> prepared;   // what model preparation changed, one line each
  int layers = 0;                        // layers in the sweep
  // Ascending PSNR (most sensitive first) is accepted, but the writers rank by PSNR themselves
  // (stable, NaN last), so graph (topological) order is better: report.html's precision map
  // draws the layers in the order given here.
  std::vector<LayerReport> sensitivity;
  std::vector<std::string> flipped;      // names, in sensitivity order
  std::map<std::string, double> timings_s;  // fp32_eval, calibrate, sensitivity, ...
  std::map<std::string, int64_t> samples;   // calib, sens, eval
  // peak_rss_mb, minor_page_faults, major_page_faults of the process (vary between runs).
  std::map<std::string, double> resources;
  // The kernel set ("portable"/"native", litemp/kernel_set.h) and the instruction set oneDNN
  // ran: together they decide the last bits of every figure. Empty: not recorded.
  std::string kernels, kernel_isa;
  std::vector<Prediction> predictions;
  std::vector<PercentPoint> percent_curve;
};

// summary.json text (schema in SPEC.md; keys in a fixed order so runs diff cleanly).
std::string SummaryJson(const RunReport& r);
// sensitivity.csv text: "rank,layer,op_type,psnr_db,flipped,precision,w8a8_mse".
std::string SensitivityCsv(const RunReport& r);
// predictions.csv text: "file,label,fp32,w8a8,mixed".
std::string PredictionsCsv(const RunReport& r);
// report.html text.
std::string ReportHtml(const RunReport& r);

// Writes every report file that applies into `dir` (created if missing), each atomically.
// summary.json is written last, so its presence means the run completed.
Status WriteRunReport(const RunReport& r, const std::string& dir);

}  // namespace litemp

#endif  // LITEMP_REPORT_H_
