// Dataset::Open (option checks and source dispatch) and the parallel LoadBatch.
#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <omp.h>

#include "data/sources.h"
#include "litemp/data.h"

namespace litemp {
namespace {

Status CheckOptions(const DataOptions& o) {
  const bool folder = !o.images_dir.empty() || !o.labels_file.empty();
  const bool idx = !o.idx_images.empty() || !o.idx_labels.empty();
  if (folder && idx) {
    return Status::InvalidArgument("give either --images/--labels or --idx-images/--idx-labels, not both");
  }
  if (!folder && !idx) {
    return Status::InvalidArgument("no data: give --images DIR --labels FILE or --idx-images FILE --idx-labels FILE");
  }
  if (folder && (o.images_dir.empty() || o.labels_file.empty())) {
    return Status::InvalidArgument(o.images_dir.empty() ? "--labels needs --images DIR" : "--images needs --labels FILE");
  }
  if (idx && (o.idx_images.empty() || o.idx_labels.empty())) {
    return Status::InvalidArgument(o.idx_images.empty() ? "--idx-labels needs --idx-images FILE"
                                                        : "--idx-images needs --idx-labels FILE");
  }
  if (o.resize < 0) return Status::InvalidArgument("--resize must be >= 0, got " + std::to_string(o.resize));
  if (o.crop < 0) return Status::InvalidArgument("--crop must be >= 0, got " + std::to_string(o.crop));
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
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<Dataset>> Dataset::Open(const DataOptions& options) {
  LITEMP_RETURN_IF_ERROR(CheckOptions(options));
  if (!options.idx_images.empty()) return data::OpenIdxDataset(options);
  return data::OpenFolderDataset(options);
}

Result<Tensor> Dataset::LoadBatch(const std::vector<size_t>& indices) const {
  if (indices.empty()) return Status::InvalidArgument("LoadBatch: no samples requested");
  const int64_t n = static_cast<int64_t>(indices.size());
  std::vector<Tensor> items(indices.size());
  std::vector<Status> errors(indices.size());
  // Dynamic scheduling: decode times vary a lot with image size.
#pragma omp parallel for schedule(dynamic, 1) if (n > 1)
  for (int64_t i = 0; i < n; ++i) {
    // An exception must not leave an OpenMP region (std::terminate): e.g. bad_alloc.
    try {
      Result<Tensor> t = Load(indices[i]);
      if (t.ok()) {
        items[i] = std::move(t).value();
      } else {
        errors[i] = t.status();
      }
    } catch (const std::exception& e) {
      errors[i] = Status::Internal("'" + name(indices[i]) + "': " + e.what());
    }
  }
  for (const Status& s : errors) {
    if (!s.ok()) return s;  // the first failure by position in `indices`
  }
  const Shape& shape = items[0].shape();
  for (int64_t i = 1; i < n; ++i) {
    if (items[i].shape() != shape) {
      return Status::InvalidArgument("cannot batch samples of different shapes: '" + name(indices[0]) + "' is " +
                                     ShapeToString(shape) + " but '" + name(indices[i]) + "' is " +
                                     ShapeToString(items[i].shape()) + " (use --resize/--crop to equalise them)");
    }
  }
  Shape batch_shape{n};
  batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
  Tensor batch(DType::kFloat32, batch_shape);
  const size_t bytes = items[0].nbytes();
  auto* dst = static_cast<char*>(batch.raw_data());
  for (int64_t i = 0; i < n; ++i) std::memcpy(dst + i * bytes, items[i].raw_data(), bytes);
  return batch;
}

Result<Dataset::SampleInputs> Dataset::LoadInputs(size_t i) const {
  LITEMP_ASSIGN_OR_RETURN(Tensor t, Load(i));
  return SampleInputs{{"", std::move(t)}};
}

Result<std::vector<Tensor>> Dataset::LoadBatchInputs(const std::vector<std::string>& input_names,
                                                     const std::vector<size_t>& indices) const {
  if (input_names.size() != 1) {
    std::string names;
    for (const auto& n : input_names) names += (names.empty() ? "" : ", ") + n;
    return Status::InvalidArgument("the model has " + std::to_string(input_names.size()) + " inputs (" + names +
                                   "); give each sample as an .npz with one array per input");
  }
  LITEMP_ASSIGN_OR_RETURN(Tensor t, LoadBatch(indices));
  return std::vector<Tensor>{std::move(t)};
}

}  // namespace litemp
