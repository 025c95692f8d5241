#include "oracle/ort_runner.h"

#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "litemp/fileio.h"

namespace litemp::test {

namespace fs = std::filesystem;

namespace {

std::string Env(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v && *v ? v : def;
}

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string NodeCommand() {
  return Quote(Env("LITEMP_NODE", "node")) + " " + Quote(Env("LITEMP_ORT_RUNNER", LITEMP_ORT_RUNNER_DEFAULT));
}

std::string ReadAll(const std::string& path) {
  auto r = ReadFile(path);
  return r.ok() ? r.value() : "";
}

DType DTypeFromName(const std::string& n) {
  for (int i = 1; i <= 13; ++i)
    if (n == DTypeName(static_cast<DType>(i))) return static_cast<DType>(i);
  return DType::kUndefined;
}

}  // namespace

const std::string& OrtUnavailableReason() {
  static const std::string reason = [] {
    std::string log = (fs::temp_directory_path() / ("litemp_ort_check_" + std::to_string(getpid()) + ".log")).string();
    int rc = std::system((NodeCommand() + " --version > " + Quote(log) + " 2>&1").c_str());
    std::string out = ReadAll(log);
    fs::remove(log);
    if (rc == 0) return std::string();
    out = out.substr(0, out.find('\n'));  // node's first line says it; a stack may follow
    return "ONNX Runtime oracle unavailable (" + NodeCommand() + " --version failed: " + out +
           "); install node and run 'npm ci' in the repository root";
  }();
  return reason;
}

Status WriteTensorDir(const std::string& dir, const NamedTensors& tensors) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  nlohmann::json list = nlohmann::json::array();
  for (size_t i = 0; i < tensors.size(); ++i) {
    Tensor t = ToPlain(tensors[i].second);
    std::string file = std::to_string(i) + ".bin";
    LITEMP_RETURN_IF_ERROR(WriteFileAtomic(
        (fs::path(dir) / file).string(), std::string(static_cast<const char*>(t.raw_data()), t.nbytes())));
    list.push_back({{"name", tensors[i].first}, {"dtype", DTypeName(t.dtype())}, {"shape", t.shape()}, {"file", file}});
  }
  nlohmann::json m = {{"tensors", list}};
  return WriteFileAtomic((fs::path(dir) / "manifest.json").string(), m.dump());
}

Result<NamedTensors> ReadTensorDir(const std::string& dir) {
  LITEMP_ASSIGN_OR_RETURN(std::string text, ReadFile((fs::path(dir) / "manifest.json").string()));
  nlohmann::json m = nlohmann::json::parse(text, nullptr, false);
  if (m.is_discarded() || !m.contains("tensors")) return Status::Corruption(dir + "/manifest.json is not a tensor manifest");
  NamedTensors out;
  for (const auto& e : m["tensors"]) {
    DType dt = DTypeFromName(e.value("dtype", ""));
    if (dt == DType::kUndefined || DTypeSize(dt) == 0)
      return Status::NotSupported("tensor '" + e.value("name", "") + "' has dtype " + e.value("dtype", "?"));
    Shape shape = e["shape"].get<Shape>();
    LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile((fs::path(dir) / e.value("file", "")).string()));
    Tensor t(dt, shape);
    if (bytes.size() != t.nbytes())
      return Status::Corruption("tensor '" + e.value("name", "") + "' has " + std::to_string(bytes.size()) +
                                " bytes, expected " + std::to_string(t.nbytes()));
    if (!bytes.empty()) std::memcpy(t.raw_data(), bytes.data(), bytes.size());
    out.emplace_back(e.value("name", ""), std::move(t));
  }
  return out;
}

OrtBatch::OrtBatch(std::string opt) : opt_(opt.empty() ? Env("LITEMP_ORT_OPT", "") : std::move(opt)) {
  std::string tmpl = (fs::temp_directory_path() / "litemp_oracle_XXXXXX").string();
  if (mkdtemp(tmpl.data())) dir_ = tmpl;
}

OrtBatch::~OrtBatch() {
  if (dir_.empty() || std::getenv("LITEMP_ORACLE_KEEP")) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Result<int> OrtBatch::AddFile(const std::string& model_path, const NamedTensors& inputs) {
  if (dir_.empty()) return Status::IOError("cannot create a temporary folder");
  int i = static_cast<int>(lines_.size());
  std::string base = (fs::path(dir_) / std::to_string(i)).string();
  LITEMP_RETURN_IF_ERROR(WriteTensorDir(base + "_in", inputs));
  lines_.push_back(model_path + "\t" + base + "_in\t" + base + "_out");
  return i;
}

Result<int> OrtBatch::Add(const std::string& model_bytes, const NamedTensors& inputs) {
  if (dir_.empty()) return Status::IOError("cannot create a temporary folder");
  std::string path = (fs::path(dir_) / (std::to_string(lines_.size()) + ".onnx")).string();
  LITEMP_RETURN_IF_ERROR(WriteFileAtomic(path, model_bytes));
  return AddFile(path, inputs);
}

Status OrtBatch::Run() {
  std::string list = (fs::path(dir_) / "list.txt").string();
  std::string text;
  for (const auto& l : lines_) text += l + "\n";
  LITEMP_RETURN_IF_ERROR(WriteFileAtomic(list, text));
  std::string log = (fs::path(dir_) / "node.log").string();
  std::string cmd = NodeCommand() + " --list " + Quote(list) + " --threads 1" +
                    (opt_.empty() ? std::string() : " --opt " + Quote(opt_)) + " > " + Quote(log) + " 2>&1";
  if (std::system(cmd.c_str()) != 0) return Status::Internal("'" + cmd + "' failed: " + ReadAll(log));
  return Status::OK();
}

Result<NamedTensors> OrtBatch::Outputs(int i) const {
  std::string out = (fs::path(dir_) / (std::to_string(i) + "_out")).string();
  std::string err = ReadAll((fs::path(out) / "error.txt").string());
  if (!err.empty()) {
    while (!err.empty() && err.back() == '\n') err.pop_back();
    return Status::InvalidArgument("ORT: " + err);
  }
  return ReadTensorDir(out);
}

}  // namespace litemp::test
