#include "litemp/runner.h"

#include <cstring>

namespace litemp {

namespace {
Result<ModelInput> Describe(const Graph& graph, int id) {
  const Value& v = graph.values[id];
  ModelInput in;
  in.value_id = id;
  in.name = v.name;
  in.dtype = v.dtype == DType::kUndefined ? DType::kFloat32 : v.dtype;
  if (v.shape_known) in.shape = v.shape;
  if (!in.shape.empty() && in.shape[0] > 0) in.fixed_batch = in.shape[0];
  if (in.dtype != DType::kFloat32)
    return Status::NotSupported("input '" + v.name + "' is " + DTypeName(in.dtype) + "; only float32 inputs are supported");
  return in;
}
}  // namespace

Result<ModelInputs> DescribeInputs(const Graph& graph) {
  if (graph.inputs.empty()) return Status::InvalidArgument("the model has no inputs");
  ModelInputs all;
  const ModelInput* fixed = nullptr;  // the first input with a fixed batch
  for (int id : graph.inputs) {
    LITEMP_ASSIGN_OR_RETURN(ModelInput in, Describe(graph, id));
    all.push_back(std::move(in));
  }
  for (const ModelInput& in : all) {
    if (in.fixed_batch <= 0) continue;
    if (fixed && in.fixed_batch != fixed->fixed_batch)
      return Status::InvalidArgument("inputs '" + fixed->name + "' and '" + in.name + "' have different fixed batch sizes (" +
                                     std::to_string(fixed->fixed_batch) + " and " + std::to_string(in.fixed_batch) + ")");
    if (!fixed) fixed = &in;
  }
  // One fixed size for all: a symbolic batch dim beside a fixed one follows the fixed one.
  const int64_t fb = FixedBatch(all);
  for (ModelInput& in : all) in.fixed_batch = fb;
  return all;
}

Result<ModelInput> DescribeInput(const Graph& graph) {
  if (graph.inputs.size() != 1) {
    std::string names;
    for (int id : graph.inputs) names += (names.empty() ? "" : ", ") + graph.values[id].name;
    return Status::InvalidArgument("the model has " + std::to_string(graph.inputs.size()) +
                                   " inputs (" + names + "); this needs exactly one");
  }
  return Describe(graph, graph.inputs[0]);
}

int64_t FixedBatch(const ModelInputs& in) {
  for (const ModelInput& i : in)
    if (i.fixed_batch > 0) return i.fixed_batch;
  return 0;
}

std::vector<std::string> InputNames(const ModelInputs& in) {
  std::vector<std::string> names;
  for (const ModelInput& i : in) names.push_back(i.name);
  return names;
}

Status CheckInputShapes(const ModelInputs& in, const Batch& batch) {
  if (batch.size() != in.size())
    return Status::InvalidArgument("the model has " + std::to_string(in.size()) + " inputs, the data gives " +
                                   std::to_string(batch.size()));
  for (size_t i = 0; i < in.size(); ++i) {
    if (!batch[i].defined() || batch[i].rank() == 0 || batch[i].dim(0) < 1)
      return Status::InvalidArgument("input '" + in[i].name + "': samples must be [N, ...] with N >= 1, got " +
                                     ShapeToString(batch[i].shape()));
    if (batch[i].dim(0) != batch[0].dim(0))
      return Status::InvalidArgument("inputs '" + in[0].name + "' and '" + in[i].name + "' have different sample counts (" +
                                     std::to_string(batch[0].dim(0)) + " and " + std::to_string(batch[i].dim(0)) + ")");
    LITEMP_RETURN_IF_ERROR(CheckInputShape(in[i], batch[i].shape()));
  }
  return Status::OK();
}

Status CheckInputShape(const ModelInput& in, const Shape& batch_shape) {
  if (in.shape.empty()) return Status::OK();
  bool ok = in.shape.size() == batch_shape.size();
  for (size_t i = 1; ok && i < in.shape.size(); ++i)
    if (in.shape[i] > 0 && in.shape[i] != batch_shape[i]) ok = false;
  if (ok) return Status::OK();
  auto fmt = [](Shape s) {
    std::string r = "[N";
    for (size_t i = 1; i < s.size(); ++i) r += "," + (s[i] < 0 ? std::string("?") : std::to_string(s[i]));
    return r + "]";
  };
  return Status::InvalidArgument("input '" + in.name + "' expects " + fmt(in.shape) + ", the data gives " +
                                 fmt(batch_shape));
}

Result<int> FindOutput(const Graph& g, const std::string& name) {
  if (g.outputs.empty()) return Status::InvalidArgument("the model has no outputs");
  if (name.empty()) return 0;
  std::string names;
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    if (g.values[g.outputs[i]].name == name) return static_cast<int>(i);
    names += (i ? ", '" : "'") + g.values[g.outputs[i]].name + "'";
  }
  return Status::InvalidArgument("the model has no output '" + name + "' (its outputs: " + names + ")");
}

Tensor SliceBatch(const Tensor& t0, int64_t begin, int64_t end) {
  Tensor t = ToPlain(t0);
  Shape s = t.shape();
  int64_t row = s[0] ? t.numel() / s[0] : 0;
  s[0] = end - begin;
  Tensor r(t.dtype(), s);
  size_t es = DTypeSize(t.dtype());
  if (r.nbytes()) std::memcpy(r.raw_data(), static_cast<const char*>(t.raw_data()) + begin * row * es, r.nbytes());
  return r;
}

namespace {

Result<Tensor> Concat(const std::vector<Tensor>& parts, bool keep_layout) {
  if (parts.empty()) return Status::InvalidArgument("nothing to concatenate");
  if (parts.size() == 1) return keep_layout ? parts[0] : ToPlain(parts[0]);
  Shape s = parts[0].shape();
  if (s.empty()) return Status::InvalidArgument("cannot concatenate scalars along the batch");
  const Layout layout = keep_layout ? parts[0].layout() : Layout::kPlain;
  int64_t n = 0;
  for (const auto& p : parts) {
    Shape ps = p.shape();
    if (ps.size() != s.size() || p.dtype() != parts[0].dtype() || !std::equal(ps.begin() + 1, ps.end(), s.begin() + 1))
      return Status::InvalidArgument("batch chunks have different shapes: " + ShapeToString(s) + " vs " +
                                     ShapeToString(ps));
    if (keep_layout && p.layout() != layout) return Status::InvalidArgument("batch chunks have different layouts");
    n += ps[0];
  }
  s[0] = n;
  Tensor r(parts[0].dtype(), s, layout);
  char* dst = static_cast<char*>(r.raw_data());
  for (const auto& p : parts) {
    // Every layout keeps the sample axis outermost: a part is a contiguous run of rows.
    Tensor pp = keep_layout ? p : ToPlain(p);
    std::memcpy(dst, pp.raw_data(), pp.nbytes());
    dst += pp.nbytes();
  }
  return r;
}

}  // namespace

Result<Tensor> ConcatBatch(const std::vector<Tensor>& parts) { return Concat(parts, false); }

Result<Tensor> ConcatBatchInLayout(const std::vector<Tensor>& parts) { return Concat(parts, true); }

Batch SampleRows(const Batch& samples, int64_t begin, int64_t rows, int64_t padded_rows) {
  Batch out;
  for (const Tensor& t : samples) {
    if (begin == 0 && rows == t.dim(0) && padded_rows == rows) {
      out.push_back(t);
      continue;
    }
    Tensor chunk = SliceBatch(t, begin, begin + rows);
    if (padded_rows > rows) {  // pad with zeros up to the fixed batch
      Shape ps = chunk.shape();
      ps[0] = padded_rows;
      Tensor padded = Tensor::Zeros(chunk.dtype(), ps);
      std::memcpy(padded.raw_data(), chunk.raw_data(), chunk.nbytes());
      chunk = padded;
    }
    out.push_back(std::move(chunk));
  }
  return out;
}

std::unordered_map<int, Tensor> InputFeeds(const ModelInputs& in, const Batch& batch) {
  std::unordered_map<int, Tensor> feeds;
  for (size_t i = 0; i < in.size() && i < batch.size(); ++i) feeds[in[i].value_id] = batch[i];
  return feeds;
}

Status RunBatch(Executor& exec, const ModelInput& in, const Tensor& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results) {
  return RunBatch(exec, ModelInputs{in}, Batch{batch}, options, results);
}

Status RunBatch(Executor& exec, const ModelInputs& in, const Batch& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results) {
  LITEMP_RETURN_IF_ERROR(CheckInputShapes(in, batch));
  const int64_t n = batch[0].dim(0);
  const int64_t b = FixedBatch(in);
  if (b <= 0 || b == n) return exec.Run(InputFeeds(in, batch), options, results);
  std::unordered_map<int, std::vector<Tensor>> parts;
  for (int64_t s = 0; s < n; s += b) {
    int64_t e = std::min(n, s + b);
    std::unordered_map<int, Tensor> res;
    LITEMP_RETURN_IF_ERROR(exec.Run(InputFeeds(in, SampleRows(batch, s, e - s, b)), options, &res));
    for (auto& [id, t] : res) {
      if (t.rank() == 0 || t.dim(0) != b)
        return Status::InvalidArgument("value '" + exec.graph().values[id].name + "' has shape " +
                                       ShapeToString(t.shape()) + ", which does not follow the batch of " +
                                       std::to_string(b));
      parts[id].push_back(e - s < b ? SliceBatch(t, 0, e - s) : t);
    }
  }
  results->clear();
  for (auto& [id, p] : parts) {
    LITEMP_ASSIGN_OR_RETURN((*results)[id], ConcatBatch(p));
  }
  return Status::OK();
}

}  // namespace litemp
