// Dataset::LoadBatch / LoadBatchInputs: parallel decoding and stacking into [N, ...]
// tensors, and the matching of a sample's named arrays to the model's inputs.
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <omp.h>

#include "litemp/data.h"

namespace litemp {
namespace {

// Runs load(indices[k]) for every k in parallel into (*items)[k]. On failure returns the
// first failing sample's error by position in `indices`.
template <class T, class Load>
Status LoadAll(const Dataset& data, const std::vector<size_t>& indices, const Load& load, std::vector<T>* items) {
  const int64_t n = static_cast<int64_t>(indices.size());
  items->assign(indices.size(), T{});
  std::vector<Status> errors(indices.size());
  // Dynamic scheduling: decode times vary a lot with image size.
#pragma omp parallel for schedule(dynamic, 1) if (n > 1)
  for (int64_t i = 0; i < n; ++i) {
    // An exception must not leave an OpenMP region (std::terminate): e.g. bad_alloc.
    try {
      Result<T> r = load(indices[i]);
      if (r.ok()) {
        (*items)[i] = std::move(r).value();
      } else {
        errors[i] = r.status();
      }
    } catch (const std::exception& e) {
      errors[i] = Status::Internal("'" + data.name(indices[i]) + "': " + e.what());
    }
  }
  for (const Status& s : errors) {
    if (!s.ok()) return s;
  }
  return Status::OK();
}

// Stacks items[k] (sample indices[k]) into one [N, ...] tensor; all must have one shape.
// `input` names the model input in the mismatch message (empty: the only one).
Result<Tensor> Stack(const Dataset& data, const std::vector<size_t>& indices, const std::vector<const Tensor*>& items,
                     const std::string& input) {
  const Shape& shape = items[0]->shape();
  for (size_t i = 1; i < items.size(); ++i) {
    if (items[i]->shape() != shape) {
      return Status::InvalidArgument(
          "cannot batch samples of different shapes" + (input.empty() ? "" : " for input '" + input + "'") + ": '" +
          data.name(indices[0]) + "' is " + ShapeToString(shape) + " but '" + data.name(indices[i]) + "' is " +
          ShapeToString(items[i]->shape()) + " (use --resize/--crop to equalise them)");
    }
  }
  Shape batch_shape{static_cast<int64_t>(items.size())};
  batch_shape.insert(batch_shape.end(), shape.begin(), shape.end());
  Tensor batch(DType::kFloat32, batch_shape);
  const size_t bytes = items[0]->nbytes();
  auto* dst = static_cast<char*>(batch.raw_data());
  for (size_t i = 0; i < items.size(); ++i) std::memcpy(dst + i * bytes, items[i]->raw_data(), bytes);
  return batch;
}

std::string Join(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// Points (*slots)[j] at the tensor of `sample` that feeds input_names[j].
Status MatchInputs(const std::string& file, const SampleInputs& sample, const std::vector<std::string>& input_names,
                   std::vector<const Tensor*>* slots) {
  const std::string inputs = "; the model's inputs are " + Join(input_names);
  slots->assign(input_names.size(), nullptr);
  // A single-tensor file, or a one-array .npz for a one-input model whatever the array's
  // name (np.savez(f, x) stores it as "arr_0").
  if (sample.size() == 1 && (sample[0].first.empty() || input_names.size() == 1)) {
    if (input_names.size() == 1) {
      (*slots)[0] = &sample[0].second;
      return Status::OK();
    }
    return Status::InvalidArgument("'" + file + "' holds one tensor but the model has " +
                                   std::to_string(input_names.size()) + " inputs (" + Join(input_names) +
                                   "); give .npz samples with one array per input");
  }
  for (const auto& [name, tensor] : sample) {
    for (size_t j = 0; j < input_names.size(); ++j) {
      if (input_names[j] == name) (*slots)[j] = &tensor;
    }
  }
  for (size_t j = 0; j < input_names.size(); ++j) {
    if (!(*slots)[j]) return Status::InvalidArgument("'" + file + "' has no array '" + input_names[j] + "'" + inputs);
  }
  for (const auto& entry : sample) {
    bool known = false;
    for (const std::string& n : input_names) known = known || n == entry.first;
    if (!known) {
      return Status::InvalidArgument("'" + file + "' has an array '" + entry.first + "' that is not a model input" +
                                     inputs);
    }
  }
  return Status::OK();
}

}  // namespace

Result<SampleInputs> Dataset::LoadInputs(size_t i) const {
  LITEMP_ASSIGN_OR_RETURN(Tensor t, Load(i));
  SampleInputs one;
  one.emplace_back(std::string(), std::move(t));
  return one;
}

Result<Tensor> Dataset::LoadBatch(const std::vector<size_t>& indices) const {
  if (indices.empty()) return Status::InvalidArgument("LoadBatch: no samples requested");
  std::vector<Tensor> items;
  LITEMP_RETURN_IF_ERROR(LoadAll(*this, indices, [this](size_t i) { return Load(i); }, &items));
  std::vector<const Tensor*> ptrs;
  for (const Tensor& t : items) ptrs.push_back(&t);
  return Stack(*this, indices, ptrs, "");
}

Result<std::vector<Tensor>> Dataset::LoadBatchInputs(const std::vector<std::string>& input_names,
                                                     const std::vector<size_t>& indices) const {
  if (indices.empty()) return Status::InvalidArgument("LoadBatchInputs: no samples requested");
  if (input_names.empty()) return Status::InvalidArgument("LoadBatchInputs: the model has no inputs");
  std::vector<SampleInputs> items;
  LITEMP_RETURN_IF_ERROR(LoadAll(*this, indices, [this](size_t i) { return LoadInputs(i); }, &items));
  // by_input[j][k]: the tensor of sample k for input j.
  std::vector<std::vector<const Tensor*>> by_input(input_names.size(), std::vector<const Tensor*>(indices.size()));
  std::vector<const Tensor*> slots;
  for (size_t k = 0; k < indices.size(); ++k) {
    LITEMP_RETURN_IF_ERROR(MatchInputs(name(indices[k]), items[k], input_names, &slots));
    for (size_t j = 0; j < slots.size(); ++j) by_input[j][k] = slots[j];
  }
  std::vector<Tensor> batches;
  for (size_t j = 0; j < input_names.size(); ++j) {
    LITEMP_ASSIGN_OR_RETURN(Tensor b, Stack(*this, indices, by_input[j], input_names[j]));
    batches.push_back(std::move(b));
  }
  return batches;
}

}  // namespace litemp
