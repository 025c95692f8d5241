// `--shape name:d0,d1,...`: parsing, and fixing the dims of graph inputs in the protobuf.
#include <cerrno>
#include <cstdlib>
#include <set>

#include "prepare/passes.h"

namespace litemp {

namespace {

// Larger dims are typos: no tensor that size could be allocated.
constexpr long long kMaxDim = (1LL << 31) - 1;

Status BadShapeText(std::string_view text, const std::string& why) {
  return Status::InvalidArgument(
      "--shape expects NAME:D0,D1,... (positive sizes, N keeps a dim as the model has it); '" + std::string(text) +
      "' " + why);
}

}  // namespace

Result<InputShape> ParseInputShape(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return BadShapeText(text, "has no ':'");
  InputShape s;
  s.name = std::string(text.substr(0, colon));
  if (s.name.empty()) return BadShapeText(text, "has no input name");
  std::string_view dims = text.substr(colon + 1);
  if (dims.empty()) return BadShapeText(text, "has no dims");
  size_t pos = 0;
  while (pos <= dims.size()) {
    size_t comma = dims.find(',', pos);
    if (comma == std::string_view::npos) comma = dims.size();
    const std::string item(dims.substr(pos, comma - pos));
    if (item == "N") {
      s.dims.push_back(InputShape::kKeep);
    } else {
      char* end = nullptr;
      errno = 0;
      const long long v = std::strtoll(item.c_str(), &end, 10);
      // strtoll skips leading blanks and takes a sign; a dim is plain digits.
      if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || *end || errno || v < 1 ||
          v > kMaxDim)
        return BadShapeText(text, "has the dim '" + item + "'");
      s.dims.push_back(v);
    }
    pos = comma + 1;
  }
  return s;
}

namespace prepare {

namespace {

std::string DimText(const onnx::TensorShapeProto::Dimension& d) {
  if (d.has_dim_value()) return std::to_string(d.dim_value());
  return d.has_dim_param() && !d.dim_param().empty() ? d.dim_param() : "?";
}

// "[N,3,H,W]", or "unknown" when the input declares no shape.
std::string DeclaredShape(const onnx::ValueInfoProto& vi) {
  if (!vi.type().has_tensor_type() || !vi.type().tensor_type().has_shape()) return "unknown";
  std::string r = "[";
  const auto& dims = vi.type().tensor_type().shape().dim();
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) about "," + std::string.
  for (int i = 0; i < dims.size(); ++i) {
    if (i) r += ',';
    r += DimText(dims[i]);
  }
  return r + "]";
}

std::string ShapeText(const InputShape& s) {
  std::string r = s.name + ":";
  for (size_t i = 0; i < s.dims.size(); ++i) {
    if (i) r += ',';
    r += s.dims[i] == InputShape::kKeep ? std::string("N") : std::to_string(s.dims[i]);
  }
  return r;
}

std::string InputList(const onnx::GraphProto& g, const std::set<std::string>& initializers) {
  std::string r;
  for (const auto& in : g.input())
    if (!initializers.count(in.name())) {
      if (!r.empty()) r += ", ";
      r += "'" + in.name() + "' " + DeclaredShape(in);
    }
  return r.empty() ? "none" : r;
}

// Writes `s` into `vi`; sets *changed_fixed when a dim that was a number gets another one.
Status SetDims(const InputShape& s, onnx::ValueInfoProto* vi, bool* changed_fixed) {
  const std::string where = "--shape " + ShapeText(s) + ": input '" + s.name + "' ";
  if (!vi->type().has_tensor_type()) return Status::InvalidArgument(where + "is not a tensor");
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  if (!tt->has_shape()) {
    // No declared rank: the given dims define it; N stays an unknown dim.
    for (int64_t d : s.dims) {
      auto* dim = tt->mutable_shape()->add_dim();
      if (d != InputShape::kKeep) dim->set_dim_value(d);
    }
    return Status::OK();
  }
  auto* shape = tt->mutable_shape();
  if (shape->dim_size() != static_cast<int>(s.dims.size()))
    return Status::InvalidArgument(where + "has shape " + DeclaredShape(*vi) + " (" +
                                   std::to_string(shape->dim_size()) + " dims), " + std::to_string(s.dims.size()) +
                                   " given");
  for (size_t i = 0; i < s.dims.size(); ++i) {
    if (s.dims[i] == InputShape::kKeep) continue;
    auto* dim = shape->mutable_dim(static_cast<int>(i));
    if (dim->has_dim_value() && dim->dim_value() != s.dims[i]) *changed_fixed = true;
    dim->set_dim_value(s.dims[i]);  // clears a dim_param (same oneof)
  }
  return Status::OK();
}

}  // namespace

Status ApplyInputShapes(const std::vector<InputShape>& shapes, onnx::GraphProto* g, PrepareReport* report) {
  if (shapes.empty()) return Status::OK();
  std::set<std::string> initializers, seen;
  for (const auto& t : g->initializer()) initializers.insert(t.name());
  bool changed_fixed = false;
  for (const InputShape& s : shapes) {
    onnx::ValueInfoProto* vi = nullptr;
    for (auto& in : *g->mutable_input())
      if (in.name() == s.name && !initializers.count(s.name)) vi = &in;
    if (!vi)
      return Status::InvalidArgument("--shape " + ShapeText(s) + ": the model has no input '" + s.name +
                                     "'; its inputs: " + InputList(*g, initializers));
    if (!seen.insert(s.name).second)
      return Status::InvalidArgument("--shape " + ShapeText(s) + ": input '" + s.name + "' is given twice");
    const std::string before = DeclaredShape(*vi);
    LITEMP_RETURN_IF_ERROR(SetDims(s, vi, &changed_fixed));
    report->actions.push_back("input '" + s.name + "': " + before + " -> " + DeclaredShape(*vi));
  }
  // Shapes inferred from the old input shapes are stale; inference recomputes them.
  g->clear_value_info();
  if (changed_fixed)
    for (auto& out : *g->mutable_output())
      if (out.type().has_tensor_type()) out.mutable_type()->mutable_tensor_type()->clear_shape();
  return Status::OK();
}

}  // namespace prepare
}  // namespace litemp
