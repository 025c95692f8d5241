// Datasets: labelled samples from image folders (JPEG/PNG), raw u8 .bin images, .npy
// tensors or MNIST idx files, preprocessed into float32 tensors, plus the deterministic
// calibration / sensitivity / evaluation split of SPEC.md.
//
// Open() only lists samples and labels; pixels are decoded on demand by Load/LoadBatch,
// so a dataset of any size streams in bounded memory. Load* are safe to call from
// several threads at once (LoadBatch decodes in parallel itself).
#ifndef LITEMP_DATA_H_
#define LITEMP_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

struct DataOptions {
  // Folder source: --images DIR --labels FILE (CSV: first column file name in DIR, last
  // column integer class; a header line is allowed).
  std::string images_dir;
  std::string labels_file;
  // MNIST source: --idx-images FILE --idx-labels FILE (gzipped or not).
  std::string idx_images;
  std::string idx_labels;
  // Raw u8 HWC .bin images: {H, W, C}; required when the folder holds .bin files.
  std::vector<int64_t> raw_shape;
  int resize = 0;  // shorter side, bilinear; 0 = keep
  int crop = 0;    // centre crop size; 0 = none
  // Applied to pixel/255 per channel; one value applies to every channel.
  // Defaults leave pixels as x/255.
  std::vector<float> mean = {0.f};
  std::vector<float> std = {1.f};
  int64_t label_offset = 0;
  int64_t limit = 0;  // 0 = all; else only the first `limit` samples in listing order
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  // Lists the samples; fails with one message naming the missing/unreadable file or bad
  // CSV line. Does not decode pixels.
  static Result<std::unique_ptr<Dataset>> Open(const DataOptions& options);

  virtual size_t size() const = 0;
  // File name (or "idx:<index>") of sample i.
  virtual const std::string& name(size_t i) const = 0;
  // Label of sample i with label_offset applied; -1 when the dataset has no labels.
  virtual int64_t label(size_t i) const = 0;
  // False when samples come without labels (a folder without --labels).
  virtual bool has_labels() const { return true; }
  // Decodes and preprocesses sample i: float32 [C,H,W] for images, the stored shape for .npy.
  virtual Result<Tensor> Load(size_t i) const = 0;
  // Stacks samples into one [N, ...] float32 tensor; all must have the same shape.
  Result<Tensor> LoadBatch(const std::vector<size_t>& indices) const;

  // One sample's tensors keyed by model-input name. Single-tensor files (images, .npy, .bin,
  // idx) give one entry with an empty name: "the model's only input".
  using SampleInputs = std::vector<std::pair<std::string, Tensor>>;
  virtual Result<SampleInputs> LoadInputs(size_t i) const;
  // One stacked [N, ...] tensor per name in `input_names` (the model's inputs, in order).
  // Errors name the file and the input.
  Result<std::vector<Tensor>> LoadBatchInputs(const std::vector<std::string>& input_names,
                                              const std::vector<size_t>& indices) const;
};

// The split of SPEC.md: indices shuffled with `seed` (the same on every platform), the
// first `calib` form the calibration set, the sensitivity set is the first `sens` of those,
// and evaluation uses the remaining samples (at most `eval_max`, 0 = all).
struct Split {
  std::vector<size_t> order;  // all indices, shuffled
  std::vector<size_t> calib, sens, eval;
};
Split MakeSplit(size_t n, size_t calib, size_t sens, size_t eval_max, uint64_t seed);

}  // namespace litemp

#endif  // LITEMP_DATA_H_
