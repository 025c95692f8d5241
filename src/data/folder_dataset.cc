// Folder dataset: JPEG/PNG images, .npy tensors, .npz archives and raw u8 .bin images,
// listed by a labels CSV or, without one, by the folder itself (then unlabeled).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "data/image.h"
#include "data/labels_csv.h"
#include "data/npy.h"
#include "data/npz.h"
#include "data/sources.h"
#include "litemp/fileio.h"

namespace litemp::data {
namespace {

namespace fs = std::filesystem;

enum class FileKind { kImage, kNpy, kNpz, kBin };

struct Sample {
  std::string name;  // as written in the CSV, or the file name in the folder
  std::string path;  // DIR/name
  int64_t label = -1;
  FileKind kind = FileKind::kImage;
};

class FolderDataset final : public Dataset {
 public:
  FolderDataset(std::vector<Sample> samples, bool labelled, const DataOptions& options)
      : samples_(std::move(samples)), labelled_(labelled), options_(options) {}

  size_t size() const override { return samples_.size(); }
  const std::string& name(size_t i) const override { return samples_.at(i).name; }
  bool has_labels() const override { return labelled_; }
  int64_t label(size_t i) const override { return samples_.at(i).label; }

  Result<Tensor> Load(size_t i) const override {
    LITEMP_RETURN_IF_ERROR(CheckIndex(i));
    const Sample& s = samples_[i];
    Result<Tensor> t = LoadFile(s);
    if (!t.ok()) return t.status().WithContext("'" + s.path + "'");
    return t;
  }

  Result<SampleInputs> LoadInputs(size_t i) const override {
    LITEMP_RETURN_IF_ERROR(CheckIndex(i));
    const Sample& s = samples_[i];
    if (s.kind != FileKind::kNpz) return Dataset::LoadInputs(i);
    Result<SampleInputs> arrays = ReadNpz(s);
    if (!arrays.ok()) return arrays.status().WithContext("'" + s.path + "'");
    return arrays;
  }

 private:
  Status CheckIndex(size_t i) const {
    if (i < samples_.size()) return Status::OK();
    return Status::InvalidArgument("sample index " + std::to_string(i) + " out of range (dataset has " +
                                   std::to_string(samples_.size()) + ")");
  }

  static Result<SampleInputs> ReadNpz(const Sample& s) {
    LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(s.path));
    return ParseNpz(bytes);
  }

  Result<Tensor> LoadFile(const Sample& s) const {
    if (s.kind == FileKind::kNpz) {
      LITEMP_ASSIGN_OR_RETURN(SampleInputs arrays, ReadNpz(s));
      if (arrays.size() == 1) return std::move(arrays[0].second);
      std::string names;
      for (const auto& [n, t] : arrays) names += (names.empty() ? "" : ", ") + n;
      return Status::InvalidArgument("holds " + std::to_string(arrays.size()) + " arrays (" + names +
                                     "): a sample of several arrays needs a multi-input model");
    }
    LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(s.path));
    const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
    switch (s.kind) {
      case FileKind::kNpy:
        return ParseNpy(bytes);
      case FileKind::kImage: {
        LITEMP_ASSIGN_OR_RETURN(U8Image image, DecodeImage(data, bytes.size()));
        // Model inputs are RGB: grayscale files become 3 channels as with PIL's convert("RGB")
        // (unless --grayscale asks for PIL's convert("L")).
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
      case FileKind::kNpz:
        break;
    }
    return Status::Internal("unknown file kind");
  }

  std::vector<Sample> samples_;
  bool labelled_ = true;
  DataOptions options_;
};

bool KindFromName(const std::string& name, FileKind* kind) {
  std::string ext = fs::path(name).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext == ".jpg" || ext == ".jpeg" || ext == ".png") {
    *kind = FileKind::kImage;
  } else if (ext == ".npy") {
    *kind = FileKind::kNpy;
  } else if (ext == ".npz") {
    *kind = FileKind::kNpz;
  } else if (ext == ".bin") {
    *kind = FileKind::kBin;
  } else {
    return false;
  }
  return true;
}

// A .bin sample needs a plausible --raw-shape; `where` prefixes the message.
Status CheckRawShape(const DataOptions& options, const std::string& where, const std::string& file) {
  const auto& rs = options.raw_shape;
  if (rs.size() == 3 && rs[0] > 0 && rs[1] > 0 && rs[2] > 0 && rs[0] * rs[1] <= (int64_t{1} << 28) && rs[2] <= 64) {
    return Status::OK();
  }
  return Status::InvalidArgument(where + "'" + file + "' is a raw .bin image: --raw-shape H,W,C is required" +
                                 (rs.empty() ? "" : " (got " + ShapeToString(rs) + ")"));
}

constexpr const char* kExtensions = ".jpg, .jpeg, .png, .npy, .npz or .bin";

// The samples the labels CSV lists, labelled, in CSV order.
Result<std::vector<Sample>> ListCsv(const DataOptions& options) {
  std::error_code ec;
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
      return Status::NotSupported(where + "'" + e.file + "' has an unsupported extension (expected " + kExtensions +
                                  ")");
    }
    if (s.kind == FileKind::kBin) LITEMP_RETURN_IF_ERROR(CheckRawShape(options, where, e.file));
    if (!fs::is_regular_file(s.path, ec)) {
      return Status::IOError(where + "file '" + s.path + "' not found");
    }
    samples.push_back(std::move(s));
  }
  return samples;
}

// Every supported regular file directly in the folder, unlabeled, sorted by name (byte
// order, so the listing does not depend on the file system or the locale).
Result<std::vector<Sample>> ListFolder(const DataOptions& options) {
  std::error_code ec;
  std::vector<Sample> samples;
  size_t skipped = 0;
  for (fs::directory_iterator it(options.images_dir, ec), end; !ec && it != end; it.increment(ec)) {
    Sample s;
    s.name = it->path().filename().string();
    s.path = it->path().string();
    if (s.name.empty() || s.name[0] == '.') continue;  // hidden files
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec) || !KindFromName(s.name, &s.kind)) {
      ++skipped;
      continue;
    }
    samples.push_back(std::move(s));
  }
  if (ec) return Status::IOError("cannot list images folder '" + options.images_dir + "': " + ec.message());
  if (samples.empty()) {
    return Status::InvalidArgument("images folder '" + options.images_dir + "' holds no " + kExtensions + " files" +
                                   (skipped ? " (" + std::to_string(skipped) + " other entries skipped)" : ""));
  }
  std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.name < b.name; });
  if (options.limit > 0 && samples.size() > size_t(options.limit)) samples.resize(size_t(options.limit));
  for (const Sample& s : samples) {
    if (s.kind == FileKind::kBin) LITEMP_RETURN_IF_ERROR(CheckRawShape(options, "", s.path));
  }
  return samples;
}

}  // namespace

Result<std::unique_ptr<Dataset>> OpenFolderDataset(const DataOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.images_dir, ec)) {
    return Status::IOError("images folder '" + options.images_dir + "' not found or not a folder");
  }
  const bool labelled = !options.labels_file.empty();
  LITEMP_ASSIGN_OR_RETURN(std::vector<Sample> samples, labelled ? ListCsv(options) : ListFolder(options));
  return std::unique_ptr<Dataset>(new FolderDataset(std::move(samples), labelled, options));
}

}  // namespace litemp::data
