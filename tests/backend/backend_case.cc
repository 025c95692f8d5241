#include "backend/backend_case.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "litemp/executor.h"
#include "litemp/fileio.h"
#include "litemp/model.h"

namespace litemp::test {

namespace fs = std::filesystem;

namespace {

CaseOutcome Skip(std::vector<std::string> keys, std::string reason) {
  CaseOutcome o;
  o.kind = CaseOutcome::Kind::kSkip;
  o.skip_keys = std::move(keys);
  o.skip_reason = std::move(reason);
  return o;
}

CaseOutcome Fail(std::string line) {
  CaseOutcome o;
  o.kind = CaseOutcome::Kind::kFail;
  o.failures.push_back(std::move(line));
  return o;
}

CaseOutcome SkipNotSupported(const std::string& stage, const Status& s) {
  return Skip(OpsFromMessage(s.message()), stage + ": " + s.message());
}

// Empty when the value info is a tensor litemp can hold; otherwise the tally key.
std::string UnsupportedType(const onnx::TypeProto& t) {
  switch (t.value_case()) {
    case onnx::TypeProto::kTensorType: {
      int et = t.tensor_type().elem_type();
      if (DTypeSize(static_cast<DType>(et)) != 0) return "";
      std::string name = onnx::TensorProto_DataType_IsValid(et) ? onnx::TensorProto_DataType_Name(et) : std::to_string(et);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      return "<dtype " + name + ">";
    }
    case onnx::TypeProto::kSequenceType: return "<sequence I/O>";
    case onnx::TypeProto::kMapType: return "<map I/O>";
    case onnx::TypeProto::kOptionalType: return "<optional I/O>";
    case onnx::TypeProto::kSparseTensorType: return "<sparse I/O>";
    default: return "<untyped I/O>";
  }
}

// input_0.pb, input_1.pb, ..., input_10.pb in numeric order.
std::vector<fs::path> NumberedFiles(const fs::path& dir, const std::string& prefix) {
  std::vector<std::pair<int, fs::path>> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.rfind(prefix, 0) != 0 || e.path().extension() != ".pb") continue;
    found.emplace_back(std::atoi(n.c_str() + prefix.size()), e.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

// Parses a TensorProto file keeping its name (ReadTensorFile drops it).
Status ReadNamedTensor(const fs::path& path, std::string* name, Tensor* t) {
  LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path.string()));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes)) return Status::Corruption(path.string() + " is not a serialized TensorProto");
  *name = p.name();
  LITEMP_ASSIGN_OR_RETURN(*t, TensorFromProto(p));
  return Status::OK();
}

// Index into `ids` of the value called `name`, else `pos` when in range, else -1.
int MatchValue(const Graph& g, const std::vector<int>& ids, const std::string& name, int pos) {
  for (size_t i = 0; i < ids.size(); ++i)
    if (!name.empty() && g.values[ids[i]].name == name) return static_cast<int>(i);
  return pos < static_cast<int>(ids.size()) ? pos : -1;
}

}  // namespace

std::vector<std::string> OpsFromMessage(const std::string& msg) {
  std::vector<std::string> ops;
  const std::string kList = "unsupported ops: ";
  size_t p = msg.find(kList);
  if (p != std::string::npos) {
    // "unsupported ops: A (node 'x'), dom::B (node 'y')"
    static const std::regex item(R"(([A-Za-z0-9_.:]+) \(node ')");
    std::string rest = msg.substr(p + kList.size());
    for (std::sregex_iterator it(rest.begin(), rest.end(), item), end; it != end; ++it) ops.push_back((*it)[1]);
  } else {
    static const std::regex ctx(R"(node '[^']*' \(([^)]+)\))");
    std::smatch m;
    if (std::regex_search(msg, m, ctx)) ops.push_back(m[1]);
  }
  if (ops.empty()) ops.push_back("<other>");
  return ops;
}

CaseOutcome RunBackendCase(const std::string& dir, const Tolerance& tol) {
  auto model = Model::Load((fs::path(dir) / "model.onnx").string());
  if (!model.ok()) {
    if (model.status().IsNotSupported()) {
      CaseOutcome o = SkipNotSupported("load", model.status());
      if (o.skip_keys == std::vector<std::string>{"<other>"}) o.skip_keys = {"<load>"};
      return o;
    }
    return Fail("load: " + model.status().ToString());
  }
  const Graph& g = model.value()->graph();
  const onnx::GraphProto& gp = model.value()->proto().graph();
  std::set<std::string> init_names;
  for (const auto& t : gp.initializer()) init_names.insert(t.name());
  for (const auto& vi : gp.input()) {
    if (init_names.count(vi.name())) continue;
    std::string key = UnsupportedType(vi.type());
    if (!key.empty()) return Skip({key}, "input '" + vi.name() + "' is " + key);
  }
  for (const auto& vi : gp.output()) {
    std::string key = UnsupportedType(vi.type());
    if (!key.empty()) return Skip({key}, "output '" + vi.name() + "' is " + key);
  }

  auto exec = Executor::Create(g);
  if (!exec.ok()) {
    if (exec.status().IsNotSupported()) return SkipNotSupported("create", exec.status());
    return Fail("create: " + exec.status().ToString());
  }

  std::vector<fs::path> sets;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) return Fail("no test_data_set_* directories");

  CaseOutcome out;
  for (const fs::path& set : sets) {
    const std::string where = set.filename().string() + ": ";
    std::unordered_map<int, Tensor> feeds;
    auto inputs = NumberedFiles(set, "input_");
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::string name;
      Tensor t;
      Status s = ReadNamedTensor(inputs[i], &name, &t);
      if (s.IsNotSupported()) return Skip({"<dtype>"}, where + s.message());
      if (!s.ok()) return Fail(where + s.message());
      int k = MatchValue(g, g.inputs, name, static_cast<int>(i));
      if (k < 0) return Fail(where + "input file " + inputs[i].filename().string() + " matches no graph input");
      feeds[g.inputs[k]] = std::move(t);
    }
    std::unordered_map<int, Tensor> results;
    Status s = exec.value()->Run(feeds, RunOptions{}, &results);
    if (s.IsNotSupported()) return SkipNotSupported("run", s);
    if (!s.ok()) return Fail(where + "run: " + s.ToString());

    auto outputs = NumberedFiles(set, "output_");
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string name;
      Tensor want;
      Status rs = ReadNamedTensor(outputs[i], &name, &want);
      if (rs.IsNotSupported()) return Skip({"<dtype>"}, where + rs.message());
      if (!rs.ok()) return Fail(where + rs.message());
      int k = MatchValue(g, g.outputs, name, static_cast<int>(i));
      if (k < 0) {
        out.failures.push_back(where + "output file " + outputs[i].filename().string() + " matches no graph output");
        continue;
      }
      const std::string& oname = g.values[g.outputs[k]].name;
      std::string diff = CompareTensors(results[g.outputs[k]], want, tol);
      if (!diff.empty()) out.failures.push_back(where + "output '" + oname + "': " + diff);
    }
  }
  if (!out.failures.empty()) out.kind = CaseOutcome::Kind::kFail;
  return out;
}

namespace {
std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}
}  // namespace

std::string SerializeOutcome(const CaseOutcome& o) {
  std::string s = o.kind == CaseOutcome::Kind::kPass ? "PASS\n" : o.kind == CaseOutcome::Kind::kFail ? "FAIL\n" : "SKIP\n";
  for (const auto& k : o.skip_keys) s += "K " + OneLine(k) + "\n";
  if (!o.skip_reason.empty()) s += "R " + OneLine(o.skip_reason) + "\n";
  for (const auto& f : o.failures) s += "F " + OneLine(f) + "\n";
  return s;
}

CaseOutcome ParseOutcome(const std::string& text) {
  CaseOutcome o;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) return Fail("no result from the case process");
  if (line == "FAIL") o.kind = CaseOutcome::Kind::kFail;
  else if (line == "SKIP") o.kind = CaseOutcome::Kind::kSkip;
  else if (line != "PASS") return Fail("garbled result from the case process: " + line);
  while (std::getline(in, line)) {
    if (line.size() < 2) continue;
    std::string v = line.substr(2);
    switch (line[0]) {
      case 'K': o.skip_keys.push_back(v); break;
      case 'R': o.skip_reason = v; break;
      case 'F': o.failures.push_back(v); break;
    }
  }
  return o;
}

}  // namespace litemp::test
