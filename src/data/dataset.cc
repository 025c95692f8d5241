// Dataset::Open: option checks and source dispatch.
#include <cmath>
#include <string>

#include "data/sources.h"
#include "litemp/data.h"

namespace litemp {
namespace {

// `n` (square / shorter side) and `h`,`w` (exact) are two spellings of one flag.
Status CheckSize(const char* flag, int n, int h, int w) {
  const std::string f = flag;
  if (n < 0 || h < 0 || w < 0) return Status::InvalidArgument(f + " must be >= 0");
  if ((h > 0) != (w > 0)) return Status::InvalidArgument(f + " H,W needs both H and W");
  if (n > 0 && h > 0) return Status::InvalidArgument("give " + f + " N or " + f + " H,W, not both");
  return Status::OK();
}

Status CheckOptions(const DataOptions& o) {
  const bool folder = !o.images_dir.empty() || !o.labels_file.empty();
  const bool idx = !o.idx_images.empty() || !o.idx_labels.empty();
  if (folder && idx) {
    return Status::InvalidArgument("give either --images/--labels or --idx-images/--idx-labels, not both");
  }
  if (!folder && !idx) {
    return Status::InvalidArgument(
        "no data: give --images DIR [--labels FILE] or --idx-images FILE [--idx-labels FILE]");
  }
  // Labels are optional, a source is not.
  if (folder && o.images_dir.empty()) return Status::InvalidArgument("--labels needs --images DIR");
  if (idx && o.idx_images.empty()) return Status::InvalidArgument("--idx-labels needs --idx-images FILE");
  LITEMP_RETURN_IF_ERROR(CheckSize("--resize", o.resize, o.resize_h, o.resize_w));
  LITEMP_RETURN_IF_ERROR(CheckSize("--crop", o.crop, o.crop_h, o.crop_w));
  if (o.layout != ImageLayout::kNchw && o.layout != ImageLayout::kNhwc) {
    return Status::InvalidArgument("--layout must be nchw or nhwc");
  }
  if (o.limit < 0) return Status::InvalidArgument("--limit must be >= 0, got " + std::to_string(o.limit));
  if (o.mean.empty() || o.std.empty()) return Status::InvalidArgument("--mean and --std need at least one value");
  for (float m : o.mean) {
    if (!std::isfinite(m)) return Status::InvalidArgument("--mean values must be finite");
  }
  for (float s : o.std) {
    if (!std::isfinite(s) || s == 0.f) {
      return Status::InvalidArgument("--std values must be finite and non-zero, got " + std::to_string(s));
    }
  }
  if (o.grayscale && (o.mean.size() > 1 || o.std.size() > 1)) {
    return Status::InvalidArgument("--grayscale gives one channel, so --mean and --std take one value (got " +
                                   std::to_string(o.mean.size()) + " and " + std::to_string(o.std.size()) + ")");
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Dataset>> Dataset::Open(const DataOptions& options) {
  LITEMP_RETURN_IF_ERROR(CheckOptions(options));
  if (!options.idx_images.empty()) return data::OpenIdxDataset(options);
  return data::OpenFolderDataset(options);
}

}  // namespace litemp
