// Datasets: samples from image folders (JPEG/PNG), raw u8 .bin images, .npy tensors, .npz
// archives (one array per model input) or MNIST idx files, preprocessed into float32
// tensors, with or without class labels, plus the deterministic calibration / sensitivity /
// evaluation split of SPEC.md.
//
// Open() only lists samples and labels; pixels are decoded on demand by Load/LoadBatch,
// so a dataset of any size streams in bounded memory. Load* are safe to call from
// several threads at once (LoadBatch/LoadBatchInputs decode in parallel themselves).
#ifndef LITEMP_DATA_H_
#define LITEMP_DATA_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// How a sample decoded from 8-bit pixels (JPEG/PNG, raw .bin, idx) is laid out.
// .npy/.npz tensors are always fed as stored.
enum class ImageLayout { kNchw, kNhwc };

struct DataOptions {
  // Folder source: --images DIR [--labels FILE]. With labels_file (CSV: first column file
  // name in DIR, last column integer class; a header line is allowed) the samples are the
  // CSV's lines; without it they are every supported file directly in DIR (.jpg, .jpeg,
  // .png, .npy, .npz, .bin, case-insensitive; hidden files and other names skipped),
  // sorted by name in byte order, and the dataset has no labels.
  std::string images_dir;
  std::string labels_file;
  // MNIST source: --idx-images FILE [--idx-labels FILE] (gzipped or not).
  std::string idx_images;
  std::string idx_labels;
  // Raw u8 HWC .bin images: {H, W, C}; required when the folder holds .bin files.
  std::vector<int64_t> raw_shape;
  int resize = 0;  // --resize N: shorter side to N, bilinear; 0 = keep
  // --resize H,W: exactly H x W, bilinear (the same resampler). Both set or both 0, and
  // not together with `resize`.
  int resize_h = 0, resize_w = 0;
  int crop = 0;  // --crop N: centre crop N x N; 0 = none
  // --crop H,W: centre crop H x W. Both set or both 0, and not together with `crop`.
  int crop_h = 0, crop_w = 0;
  // --grayscale: one luminance channel (PIL's convert("L")) instead of RGB; mean/std then
  // take one value.
  bool grayscale = false;
  ImageLayout layout = ImageLayout::kNchw;  // --layout nchw|nhwc
  // Applied to pixel/255 per channel; one value applies to every channel.
  // Defaults leave pixels as x/255.
  std::vector<float> mean = {0.f};
  std::vector<float> std = {1.f};
  int64_t label_offset = 0;  // added to labels; unlabeled datasets ignore it
  int64_t limit = 0;  // 0 = all; else only the first `limit` samples in listing order
};

// One sample's tensors keyed by model-input name. Single-tensor files (images, .npy, .bin,
// idx) give one entry with an empty name: "the model's only input".
using SampleInputs = std::vector<std::pair<std::string, Tensor>>;

class Dataset {
 public:
  virtual ~Dataset() = default;
  // Lists the samples; fails with one message naming the missing/unreadable file or bad
  // CSV line. Does not decode pixels.
  static Result<std::unique_ptr<Dataset>> Open(const DataOptions& options);

  virtual size_t size() const = 0;
  // File name (or "idx:<index>") of sample i.
  virtual const std::string& name(size_t i) const = 0;
  // True when the samples carry class labels (--labels / --idx-labels given).
  virtual bool has_labels() const { return true; }
  // Label of sample i with label_offset applied; -1 when !has_labels().
  virtual int64_t label(size_t i) const = 0;
  // Decodes and preprocesses sample i: float32 [C,H,W] for images ([H,W,C] with
  // ImageLayout::kNhwc), the stored shape for .npy, the only array of a one-array .npz.
  // InvalidArgument for an .npz with several arrays (that needs a multi-input model: use
  // LoadInputs). Messages name the file.
  virtual Result<Tensor> Load(size_t i) const = 0;
  // Every tensor of sample i: one entry per array of an .npz (named after its member,
  // "x.npy" -> "x", in archive order); {{"", Load(i)}} for single-tensor files.
  virtual Result<SampleInputs> LoadInputs(size_t i) const;
  // Stacks samples into one [N, ...] float32 tensor; all must have the same shape.
  // Decodes in parallel; on failure returns the first failing sample's error by position.
  Result<Tensor> LoadBatch(const std::vector<size_t>& indices) const;
  // One stacked [N, ...] float32 tensor per name of `input_names` (the model's inputs, in
  // order), decoded in parallel like LoadBatch and byte-identical to it for single-tensor
  // samples of a one-input model. InvalidArgument naming the sample and input when an .npz
  // lacks an input or holds an array that is not one, when a single-tensor sample meets a
  // model of several inputs, or when samples differ in shape for one input.
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
