#include "testutil/kernel_runner.h"

#include <cmath>
#include <random>

namespace litemp::test {

Attribute AInt(int64_t v) { Attribute a; a.type = Attribute::Type::kInt; a.i = v; return a; }
Attribute AFloat(float v) { Attribute a; a.type = Attribute::Type::kFloat; a.f = v; return a; }
Attribute AString(std::string v) { Attribute a; a.type = Attribute::Type::kString; a.s = std::move(v); return a; }
Attribute AInts(std::vector<int64_t> v) { Attribute a; a.type = Attribute::Type::kInts; a.ints = std::move(v); return a; }
Attribute AFloats(std::vector<float> v) { Attribute a; a.type = Attribute::Type::kFloats; a.floats = std::move(v); return a; }
Attribute ATensor(Tensor t) { Attribute a; a.type = Attribute::Type::kTensor; a.t = std::move(t); return a; }

Result<std::vector<Tensor>> RunKernel(RegisterFn reg, const NodeSpec& spec, const std::vector<Tensor>& inputs) {
  KernelRegistry r;
  reg(&r);
  const KernelFactory* f = r.Find("", spec.op_type);
  if (!f) return Status::NotSupported("no kernel for " + spec.op_type);
  Graph g;
  g.opsets[""] = spec.opset;
  Node n;
  n.name = "test_" + spec.op_type;
  n.op_type = spec.op_type;
  n.opset = spec.opset;
  for (auto& [k, v] : spec.attrs) n.attrs.Set(k, v);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i].defined()) {
      n.inputs.push_back(-1);
      continue;
    }
    int id = g.AddValue("in" + std::to_string(i));
    g.values[id].dtype = inputs[i].dtype();
    g.values[id].shape = inputs[i].shape();
    g.values[id].shape_known = true;
    bool is_const = i < spec.constant_inputs.size() && spec.constant_inputs[i];
    if (is_const) {
      g.values[id].is_initializer = true;
      g.initializers[id] = inputs[i];
    } else {
      g.values[id].is_graph_input = true;
      g.inputs.push_back(id);
    }
    n.inputs.push_back(id);
  }
  for (int i = 0; i < spec.num_outputs; ++i) n.outputs.push_back(g.AddValue("out" + std::to_string(i)));
  g.nodes.push_back(n);
  auto k = (*f)(KernelInit(g, g.nodes[0]));
  if (!k.ok()) return k.status();
  std::vector<const Tensor*> ins;
  for (const auto& t : inputs) {
    // The executor never hands NHWC to such a kernel; a test doing so is itself wrong.
    if (t.defined() && t.layout() == Layout::kNhwc && !k.value()->AcceptsNhwc())
      return Status::Internal("test passed NHWC to a kernel that does not accept it");
    if (t.defined() && t.layout() == Layout::kNchw8c && !k.value()->AcceptsBlocked())
      return Status::Internal("test passed a blocked tensor to a kernel that does not accept it");
    ins.push_back(t.defined() ? &t : nullptr);
  }
  std::vector<Tensor> outs(spec.num_outputs);
  KernelContext ctx(g.nodes[0], ins, &outs);
  Status s = k.value()->Run(ctx);
  if (!s.ok()) return s;
  if (!spec.keep_layout)
    for (auto& o : outs) o = ToPlain(o);
  return outs;
}

Tensor RandomTensor(const Shape& shape, uint32_t seed, float lo, float hi) {
  Tensor t(DType::kFloat32, shape);
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = d(rng);
  return t;
}

namespace {
double ValueAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kFloat32: return t.data<float>()[i];
    case DType::kFloat64: return t.data<double>()[i];
    case DType::kInt64: return static_cast<double>(t.data<int64_t>()[i]);
    case DType::kInt32: return t.data<int32_t>()[i];
    case DType::kInt16: return t.data<int16_t>()[i];
    case DType::kUInt16: return t.data<uint16_t>()[i];
    case DType::kInt8: return t.data<int8_t>()[i];
    case DType::kUInt8: return t.data<uint8_t>()[i];
    case DType::kBool: return t.data<bool>()[i];
    case DType::kUInt32: return t.data<uint32_t>()[i];
    case DType::kUInt64: return static_cast<double>(t.data<uint64_t>()[i]);
    default: return NAN;
  }
}
}  // namespace

::testing::AssertionResult TensorsNear(const Tensor& a0, const Tensor& b0, double atol, double rtol) {
  Tensor a = ToPlain(a0), b = ToPlain(b0);
  if (a.dtype() != b.dtype())
    return ::testing::AssertionFailure() << "dtype " << DTypeName(a.dtype()) << " vs " << DTypeName(b.dtype());
  if (a.shape() != b.shape())
    return ::testing::AssertionFailure() << "shape " << ShapeToString(a.shape()) << " vs " << ShapeToString(b.shape());
  bool fl = IsFloat(a.dtype());
  for (int64_t i = 0; i < a.numel(); ++i) {
    double x = ValueAt(a, i), y = ValueAt(b, i);
    if (std::isnan(x) && std::isnan(y)) continue;
    if (x == y) continue;
    if (!fl || !(std::fabs(x - y) <= atol + rtol * std::fabs(y)))
      return ::testing::AssertionFailure() << "element " << i << ": " << x << " vs " << y << " (shape "
                                           << ShapeToString(a.shape()) << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace litemp::test
