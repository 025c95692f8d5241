#include "litemp/runner.h"

#include <cstring>

namespace litemp {

Result<ModelInput> DescribeInput(const Graph& graph) {
  if (graph.inputs.size() != 1) {
    std::string names;
    for (int id : graph.inputs) names += (names.empty() ? "" : ", ") + graph.values[id].name;
    return Status::InvalidArgument("the model has " + std::to_string(graph.inputs.size()) +
                                   " inputs (" + names + "); litemp's data commands need exactly one");
  }
  const Value& v = graph.values[graph.inputs[0]];
  ModelInput in;
  in.value_id = graph.inputs[0];
  in.name = v.name;
  in.dtype = v.dtype == DType::kUndefined ? DType::kFloat32 : v.dtype;
  if (v.shape_known) in.shape = v.shape;
  if (!in.shape.empty() && in.shape[0] > 0) in.fixed_batch = in.shape[0];
  if (in.dtype != DType::kFloat32)
    return Status::NotSupported("input '" + v.name + "' is " + DTypeName(in.dtype) + "; only float32 inputs are supported");
  return in;
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

Result<Tensor> ConcatBatch(const std::vector<Tensor>& parts) {
  if (parts.empty()) return Status::InvalidArgument("nothing to concatenate");
  if (parts.size() == 1) return ToPlain(parts[0]);
  Shape s = parts[0].shape();
  if (s.empty()) return Status::InvalidArgument("cannot concatenate scalars along the batch");
  int64_t n = 0;
  for (const auto& p : parts) {
    Shape ps = p.shape();
    if (ps.size() != s.size() || p.dtype() != parts[0].dtype() || !std::equal(ps.begin() + 1, ps.end(), s.begin() + 1))
      return Status::InvalidArgument("batch chunks have different shapes: " + ShapeToString(s) + " vs " +
                                     ShapeToString(ps));
    n += ps[0];
  }
  s[0] = n;
  Tensor r(parts[0].dtype(), s);
  char* dst = static_cast<char*>(r.raw_data());
  for (const auto& p : parts) {
    Tensor pp = ToPlain(p);
    std::memcpy(dst, pp.raw_data(), pp.nbytes());
    dst += pp.nbytes();
  }
  return r;
}

Status RunBatch(Executor& exec, const ModelInput& in, const Tensor& batch, const RunOptions& options,
                std::unordered_map<int, Tensor>* results) {
  LITEMP_RETURN_IF_ERROR(CheckInputShape(in, batch.shape()));
  const int64_t n = batch.dim(0);
  if (in.fixed_batch <= 0 || in.fixed_batch == n) {
    std::unordered_map<int, Tensor> feeds{{in.value_id, batch}};
    return exec.Run(feeds, options, results);
  }
  const int64_t b = in.fixed_batch;
  std::unordered_map<int, std::vector<Tensor>> parts;
  for (int64_t s = 0; s < n; s += b) {
    int64_t e = std::min(n, s + b);
    Tensor chunk = SliceBatch(batch, s, e);
    if (e - s < b) {  // pad the last chunk with zeros up to the fixed batch
      Shape ps = chunk.shape();
      ps[0] = b;
      Tensor padded = Tensor::Zeros(chunk.dtype(), ps);
      std::memcpy(padded.raw_data(), chunk.raw_data(), chunk.nbytes());
      chunk = padded;
    }
    std::unordered_map<int, Tensor> feeds{{in.value_id, chunk}}, res;
    LITEMP_RETURN_IF_ERROR(exec.Run(feeds, options, &res));
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
