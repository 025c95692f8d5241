#include "cli/flags.h"

#include <sched.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <thread>

#include "core/parallel.h"

namespace litemp::cli {

void DataFlags::Add(CLI::App* cmd) {
  cmd->add_option("--images", images,
                  "folder of images (.jpg/.png), raw u8 .bin images, .npy tensors or .npz archives (one array per "
                  "model input); without --labels, every such file in it, sorted by name");
  cmd->add_option("--labels", labels, "optional CSV: first column a file name in --images, last column the class");
  cmd->add_option("--idx-images", idx_images, "MNIST idx images file (gzipped or not)");
  cmd->add_option("--idx-labels", idx_labels, "optional MNIST idx labels file (gzipped or not)");
  cmd->add_option("--raw-shape", raw_shape, "H,W,C of raw u8 .bin images");
  cmd->add_option("--resize", resize, "N: resize the shorter side to N; H,W: resize to exactly H x W (bilinear)");
  cmd->add_option("--crop", crop, "centre crop N (N x N) or H,W");
  cmd->add_flag("--grayscale", grayscale, "decode images to one luminance channel (PIL's convert(\"L\")), not RGB");
  cmd->add_option("--layout", layout, "nchw (default) or nhwc: layout of samples decoded from pixels "
                                      "(.npy/.npz are fed as stored)");
  cmd->add_option("--mean", mean, "per-channel mean applied to pixel/255 (a or a,b,c)");
  cmd->add_option("--std", std, "per-channel std applied to pixel/255 (a or a,b,c)");
  cmd->add_option("--label-offset", label_offset, "added to every label");
  cmd->add_option("--limit", limit, "use only the first N samples");
  cmd->add_option("--batch", batch, "batch size");
  cmd->add_option("--threads", threads, "threads, 1..1024 (default: all cores)");
  cmd->add_option("--seed", seed, "seed of the sample order");
}

Status ParseFloatList(const std::string& flag, const std::string& text, std::vector<float>* out) {
  out->clear();
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    char* end = nullptr;
    float v = std::strtof(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !std::isfinite(v))
      return Status::InvalidArgument(flag + " expects numbers like 0.5 or 0.485,0.456,0.406; got '" + text + "'");
    out->push_back(v);
  }
  if (out->empty()) return Status::InvalidArgument(flag + " is empty");
  return Status::OK();
}

Status ParseSizeFlag(const std::string& flag, const std::string& text, int* n, int* h, int* w) {
  *n = *h = *w = 0;
  if (text.empty()) return Status::OK();
  const Status bad = Status::InvalidArgument(flag + " expects N or H,W (positive integers); got '" + text + "'");
  std::vector<int> v;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    // Digits only: no sign, space or exponent; 7 digits bound the value far above any image.
    if (item.empty() || item.size() > 7 || item.find_first_not_of("0123456789") != std::string::npos) return bad;
    v.push_back(std::stoi(item));
  }
  if (text.back() == ',') return bad;  // getline drops a trailing empty field
  if (v.size() == 1) {
    *n = v[0];
    return Status::OK();
  }
  if (v.size() != 2 || v[0] == 0 || v[1] == 0) return bad;
  *h = v[0];
  *w = v[1];
  return Status::OK();
}

Status DataFlags::ToOptions(DataOptions* o) const {
  if (!labels.empty() && images.empty()) return Status::InvalidArgument("--labels needs --images DIR");
  if (!idx_labels.empty() && idx_images.empty()) return Status::InvalidArgument("--idx-labels needs --idx-images FILE");
  if (images.empty() == idx_images.empty())
    return Status::InvalidArgument(
        "give one data source: --images DIR [--labels FILE], or --idx-images FILE [--idx-labels FILE]");
  if (limit < 0) return Status::InvalidArgument("--limit must be >= 0");
  if (batch < 1) return Status::InvalidArgument("--batch must be >= 1");
  o->images_dir = images;
  o->labels_file = labels;
  o->idx_images = idx_images;
  o->idx_labels = idx_labels;
  LITEMP_RETURN_IF_ERROR(ParseSizeFlag("--resize", resize, &o->resize, &o->resize_h, &o->resize_w));
  LITEMP_RETURN_IF_ERROR(ParseSizeFlag("--crop", crop, &o->crop, &o->crop_h, &o->crop_w));
  if (layout == "nchw") {
    o->layout = ImageLayout::kNchw;
  } else if (layout == "nhwc") {
    o->layout = ImageLayout::kNhwc;
  } else {
    return Status::InvalidArgument("--layout must be nchw or nhwc, got '" + layout + "'");
  }
  o->grayscale = grayscale;
  o->label_offset = label_offset;
  o->limit = limit;
  LITEMP_RETURN_IF_ERROR(ParseFloatList("--mean", mean, &o->mean));
  LITEMP_RETURN_IF_ERROR(ParseFloatList("--std", std, &o->std));
  for (float s : o->std)
    if (s == 0.f) return Status::InvalidArgument("--std must not be 0");
  if (o->mean.size() != 1 && o->std.size() != 1 && o->mean.size() != o->std.size())
    return Status::InvalidArgument("--mean and --std give different channel counts");
  o->raw_shape.clear();
  if (!raw_shape.empty()) {
    std::vector<float> v;
    LITEMP_RETURN_IF_ERROR(ParseFloatList("--raw-shape", raw_shape, &v));
    for (float d : v) {
      if (d < 1 || d != std::floor(d)) return Status::InvalidArgument("--raw-shape expects H,W,C positive integers");
      o->raw_shape.push_back(static_cast<int64_t>(d));
    }
    if (o->raw_shape.size() != 3) return Status::InvalidArgument("--raw-shape expects H,W,C");
  }
  return ApplyThreads(threads);
}

namespace {
Comm* g_job = nullptr;
int g_local_ranks = 1;

// The default threads of one of `local` ranks sharing a node: its share of the node's cores,
// and no more than the launcher bound it to (a launcher binding several ranks to one socket
// gives each the whole socket).
int JobThreads(int local) {
  cpu_set_t set;
  const int hw = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  int mine = hw;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) mine = std::max(1, CPU_COUNT(&set));
  return std::max(1, std::min(mine, hw / std::max(1, local)));
}
}  // namespace

void SetJob(Comm* comm, int local_ranks) {
  g_job = comm;
  g_local_ranks = std::max(1, local_ranks);
}
Comm* JobComm() { return g_job; }
bool IsLeadRank() { return RankOf(g_job) == 0; }

Status ApplyThreads(int threads) {
  if (threads < 0 || threads > kMaxThreads)
    return Status::InvalidArgument("--threads must be between 1 and " + std::to_string(kMaxThreads) + ", got " +
                                   std::to_string(threads));
  if (threads > 0) SetNumThreads(threads);
  // Several ranks on one node would otherwise each start a thread per core.
  if (threads == 0 && g_local_ranks > 1) SetNumThreads(JobThreads(g_local_ranks));
  return Status::OK();
}

void QuantFlags::Add(CLI::App* cmd, bool with_quant) {
  if (with_quant) cmd->add_option("--quant", quant, "simulate w8a8|w8a16|w16a16|w4a8|fp16 instead of FP32");
  cmd->add_option("--config", config, "quantsim config: default|default_per_tensor|htp_v75 or a JSON file");
  cmd->add_option("--scheme", scheme, "encoding analyzer: min_max|tf_enhanced|percentile");
  cmd->add_option("--percentile", percentile, "percentile for --scheme percentile (50..100)");
  cmd->add_option("--calib", calib, "calibration samples");
}

Status QuantFlags::ToOptions(QuantSimOptions* o) const {
  auto parsed = ParseScheme(scheme);
  if (!parsed.ok()) return parsed.status().WithContext("--scheme");
  o->scheme = parsed.value();
  if (!(percentile > 50.f && percentile <= 100.f)) return Status::InvalidArgument("--percentile must be in (50, 100]");
  if (calib < 1) return Status::InvalidArgument("--calib must be >= 1");
  o->percentile = percentile;
  o->config = config;
  if (!quant.empty()) LITEMP_RETURN_IF_ERROR(ParsePrecisionPair(quant, &o->param, &o->activation).WithContext("--quant"));
  return Status::OK();
}

int Fail(const Status& s) { return Fail(s.ToString()); }

int Fail(const std::string& msg) {
  // Every rank of a job fails alike (errors are agreed, see comm.h): one line is enough.
  if (IsLeadRank()) std::fprintf(stderr, "error: %s\n", msg.c_str());
  return kExitError;
}

}  // namespace litemp::cli
