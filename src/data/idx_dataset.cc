// MNIST idx dataset: samples are [C, rows, cols] images (C = 1 for idx3 files), labelled
// by an idx1 file or unlabeled.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "data/idx.h"
#include "data/image.h"
#include "data/sources.h"

namespace litemp::data {
namespace {

class IdxDataset final : public Dataset {
 public:
  // An empty `labels` (with n > 0) makes an unlabeled dataset of n images.
  IdxDataset(IdxArray images, size_t n, std::vector<int64_t> labels, const DataOptions& options)
      : images_(std::move(images)), labels_(std::move(labels)), options_(options) {
    names_.reserve(n);
    for (size_t i = 0; i < n; ++i) names_.push_back("idx:" + std::to_string(i));
    rows_ = static_cast<int>(images_.dims[1]);
    cols_ = static_cast<int>(images_.dims[2]);
    channels_ = images_.dims.size() == 4 ? static_cast<int>(images_.dims[3]) : 1;
  }

  size_t size() const override { return names_.size(); }
  const std::string& name(size_t i) const override { return names_.at(i); }
  bool has_labels() const override { return !labels_.empty(); }
  int64_t label(size_t i) const override { return has_labels() ? labels_.at(i) : -1; }

  Result<Tensor> Load(size_t i) const override {
    if (i >= names_.size()) {
      return Status::InvalidArgument("sample index " + std::to_string(i) + " out of range (dataset has " +
                                     std::to_string(names_.size()) + ")");
    }
    U8Image image(rows_, cols_, channels_);
    const size_t n = image.pixels.size();
    std::copy(images_.data.begin() + i * n, images_.data.begin() + (i + 1) * n, image.pixels.begin());
    Result<Tensor> t = Preprocess(image, ToPreprocessOptions(options_, /*to_rgb=*/false));
    if (!t.ok()) return t.status().WithContext("'" + options_.idx_images + "' " + names_[i]);
    return t;
  }

 private:
  IdxArray images_;
  std::vector<int64_t> labels_;
  std::vector<std::string> names_;
  DataOptions options_;
  int rows_ = 0, cols_ = 0, channels_ = 1;
};

}  // namespace

Result<std::unique_ptr<Dataset>> OpenIdxDataset(const DataOptions& options) {
  LITEMP_ASSIGN_OR_RETURN(IdxArray images, ReadIdxFile(options.idx_images));
  const bool hwc = images.dims.size() == 4 && images.dims[3] >= 1 && images.dims[3] <= 4;
  if (images.dims.size() != 3 && !hwc) {
    return Status::NotSupported("'" + options.idx_images + "' has shape " + ShapeToString(images.dims) +
                                "; expected [N,rows,cols] images (idx3)");
  }
  if (images.dims[1] <= 0 || images.dims[2] <= 0 || images.dims[1] * images.dims[2] > (int64_t{1} << 28)) {
    return Status::InvalidArgument("'" + options.idx_images + "' has bad image size " + ShapeToString(images.dims));
  }
  int64_t n = images.dims[0];
  if (options.limit > 0 && n > options.limit) n = options.limit;
  if (n == 0) return Status::InvalidArgument("'" + options.idx_images + "' holds no images");
  std::vector<int64_t> label_values;
  if (!options.idx_labels.empty()) {
    LITEMP_ASSIGN_OR_RETURN(IdxArray labels, ReadIdxFile(options.idx_labels));
    if (labels.dims.size() != 1) {
      return Status::InvalidArgument("'" + options.idx_labels + "' has shape " + ShapeToString(labels.dims) +
                                     "; expected [N] labels (idx1)");
    }
    if (labels.dims[0] != images.dims[0]) {
      return Status::InvalidArgument("'" + options.idx_images + "' holds " + std::to_string(images.dims[0]) +
                                     " images but '" + options.idx_labels + "' holds " +
                                     std::to_string(labels.dims[0]) + " labels");
    }
    label_values.resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      label_values[i] = static_cast<uint8_t>(labels.data[static_cast<size_t>(i)]) + options.label_offset;
    }
  }
  // Drop the pixels beyond the limit so memory matches the listed samples.
  images.data.resize(static_cast<size_t>(n) * static_cast<size_t>(images.data.size() / images.dims[0]));
  images.data.shrink_to_fit();
  return std::unique_ptr<Dataset>(
      new IdxDataset(std::move(images), static_cast<size_t>(n), std::move(label_values), options));
}

}  // namespace litemp::data
