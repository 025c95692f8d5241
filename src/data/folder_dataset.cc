// Folder + labels CSV dataset: JPEG/PNG images, .npy tensors and raw u8 .bin images.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "data/image.h"
#include "data/labels_csv.h"
#include "data/npy.h"
#include "data/sources.h"
#include "litemp/fileio.h"

namespace litemp::data {
namespace {

namespace fs = std::filesystem;

enum class FileKind { kImage, kNpy, kBin };

struct Sample {
  std::string name;  // as written in the CSV
  std::string path;  // DIR/name
  int64_t label = 0;
  FileKind kind = FileKind::kImage;
};

class FolderDataset final : public Dataset {
 public:
  FolderDataset(std::vector<Sample> samples, const DataOptions& options)
      : samples_(std::move(samples)), options_(options) {}

  size_t size() const override { return samples_.size(); }
  const std::string& name(size_t i) const override { return samples_.at(i).name; }
  int64_t label(size_t i) const override { return samples_.at(i).label; }

  Result<Tensor> Load(size_t i) const override {
    if (i >= samples_.size()) {
      return Status::InvalidArgument("sample index " + std::to_string(i) + " out of range (dataset has " +
                                     std::to_string(samples_.size()) + ")");
    }
    const Sample& s = samples_[i];
    Result<Tensor> t = LoadFile(s);
    if (!t.ok()) return t.status().WithContext("'" + s.path + "'");
    return t;
  }

 private:
  Result<Tensor> LoadFile(const Sample& s) const {
    LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(s.path));
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    switch (s.kind) {
      case FileKind::kNpy:
        return ParseNpy(bytes);
      case FileKind::kImage: {
        LITEMP_ASSIGN_OR_RETURN(U8Image image, DecodeImage(data, bytes.size()));
        // Model inputs are RGB: grayscale files become 3 channels as with PIL's convert("RGB").
        return Preprocess(image, ToPreprocessOptions(options_, /*to_rgb=*/true));
      }
      case FileKind::kBin: {
        const auto& rs = options_.raw_shape;
        const size_t expected = size_t(rs[0]) * size_t(rs[1]) * size_t(rs[2]);
        if (bytes.size() != expected) {
          return Status::InvalidArgument("raw .bin file has " + std::to_string(bytes.size()) + " bytes; --raw-shape " +
                                         std::to_string(rs[0]) + "," + std::to_string(rs[1]) + "," +
                                         std::to_string(rs[2]) + " needs " + std::to_string(expected));
        }
        U8Image image(static_cast<int>(rs[0]), static_cast<int>(rs[1]), static_cast<int>(rs[2]));
        std::copy(data, data + expected, image.pixels.begin());
        return Preprocess(image, ToPreprocessOptions(options_, /*to_rgb=*/false));
      }
    }
    return Status::Internal("unknown file kind");
  }

  std::vector<Sample> samples_;
  DataOptions options_;
};

bool KindFromName(const std::string& name, FileKind* kind) {
  std::string ext = fs::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") {
    *kind = FileKind::kImage;
  } else if (ext == ".npy") {
    *kind = FileKind::kNpy;
  } else if (ext == ".bin") {
    *kind = FileKind::kBin;
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Dataset>> OpenFolderDataset(const DataOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.images_dir, ec)) {
    return Status::IOError("images folder '" + options.images_dir + "' not found or not a folder");
  }
  LITEMP_ASSIGN_OR_RETURN(std::string text, ReadFile(options.labels_file));
  LITEMP_ASSIGN_OR_RETURN(std::vector<LabelEntry> entries, ParseLabelsCsv(text, options.labels_file));
  if (options.limit > 0 && entries.size() > size_t(options.limit)) entries.resize(size_t(options.limit));
  if (entries.empty()) return Status::InvalidArgument("'" + options.labels_file + "' lists no samples");

  std::vector<Sample> samples;
  samples.reserve(entries.size());
  for (const LabelEntry& e : entries) {
    const std::string where = options.labels_file + ":" + std::to_string(e.line) + ": ";
    Sample s;
    s.name = e.file;
    s.path = (fs::path(options.images_dir) / e.file).string();
    s.label = e.label + options.label_offset;
    if (!KindFromName(e.file, &s.kind)) {
      return Status::NotSupported(where + "'" + e.file +
                                  "' has an unsupported extension (expected .jpg, .jpeg, .png, .npy or .bin)");
    }
    if (s.kind == FileKind::kBin) {
      const auto& rs = options.raw_shape;
      if (rs.size() != 3 || rs[0] <= 0 || rs[1] <= 0 || rs[2] <= 0 || rs[0] * rs[1] > (int64_t{1} << 28) ||
          rs[2] > 64) {
        return Status::InvalidArgument(where + "'" + e.file + "' is a raw .bin image: --raw-shape H,W,C is required" +
                                       (rs.empty() ? "" : " (got " + ShapeToString(rs) + ")"));
      }
    }
    if (!fs::is_regular_file(s.path, ec)) {
      return Status::IOError(where + "file '" + s.path + "' not found");
    }
    samples.push_back(std::move(s));
  }
  return std::unique_ptr<Dataset>(new FolderDataset(std::move(samples), options));
}

}  // namespace litemp::data
