// The concrete datasets behind Dataset::Open, and what they share.
#ifndef LITEMP_DATA_SOURCES_H_
#define LITEMP_DATA_SOURCES_H_

#include <memory>

#include "data/preprocess.h"
#include "litemp/data.h"

namespace litemp::data {

// --images DIR [--labels FILE]: lists the CSV (or, without one, the folder), checks every
// file exists and has a known extension (.jpg/.jpeg/.png decode by content, .npy, .npz,
// .bin with raw_shape).
Result<std::unique_ptr<Dataset>> OpenFolderDataset(const DataOptions& options);

// --idx-images FILE [--idx-labels FILE]: reads the files (their pixels stay in memory).
Result<std::unique_ptr<Dataset>> OpenIdxDataset(const DataOptions& options);

inline PreprocessOptions ToPreprocessOptions(const DataOptions& o, bool to_rgb) {
  PreprocessOptions p;
  p.resize = o.resize;
  p.resize_h = o.resize_h;
  p.resize_w = o.resize_w;
  p.crop = o.crop;
  p.crop_h = o.crop_h;
  p.crop_w = o.crop_w;
  p.mean = o.mean;
  p.std = o.std;
  p.to_rgb = to_rgb;
  p.grayscale = o.grayscale;
  p.hwc = o.layout == ImageLayout::kNhwc;
  return p;
}

}  // namespace litemp::data

#endif  // LITEMP_DATA_SOURCES_H_
