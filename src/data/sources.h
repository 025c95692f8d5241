// The concrete datasets behind Dataset::Open, and what they share.
#ifndef LITEMP_DATA_SOURCES_H_
#define LITEMP_DATA_SOURCES_H_

#include <memory>

#include "data/preprocess.h"
#include "litemp/data.h"

namespace litemp::data {

// --images DIR --labels FILE: lists the CSV, checks every file exists and has a known
// extension (.jpg/.jpeg/.png decode by content, .npy, .bin with raw_shape).
Result<std::unique_ptr<Dataset>> OpenFolderDataset(const DataOptions& options);

// --idx-images FILE --idx-labels FILE: reads both files (their pixels stay in memory).
Result<std::unique_ptr<Dataset>> OpenIdxDataset(const DataOptions& options);

inline PreprocessOptions ToPreprocessOptions(const DataOptions& o, bool to_rgb) {
  PreprocessOptions p;
  p.resize = o.resize;
  p.crop = o.crop;
  p.mean = o.mean;
  p.std = o.std;
  p.to_rgb = to_rgb;
  return p;
}

}  // namespace litemp::data

#endif  // LITEMP_DATA_SOURCES_H_
