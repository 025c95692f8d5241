#include "kernels/dnnl/pads.h"

#include <algorithm>

namespace litemp {

namespace {

std::string Join(const std::vector<int64_t>& v) {
  std::string r = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) r += ",";
    r += std::to_string(v[i]);
  }
  return r + "]";
}

int64_t FloorDiv2(int64_t a) { return a >= 0 ? a / 2 : -((-a + 1) / 2); }

// Fills `v` with `def` repeated n times when empty; otherwise checks its length.
Status Fill(std::vector<int64_t>* v, size_t n, int64_t def, const char* name) {
  if (v->empty()) v->assign(n, def);
  if (v->size() != n)
    return Status::InvalidArgument(std::string(name) + " has " + std::to_string(v->size()) +
                                   " values, expected " + std::to_string(n));
  return Status::OK();
}

Status CheckPositive(const std::vector<int64_t>& v, const char* name) {
  for (int64_t x : v)
    if (x <= 0) return Status::InvalidArgument(std::string(name) + " " + Join(v) + " must be positive");
  return Status::OK();
}

// Common part: rank checks and the defaults for kernel/strides/dilations.
Status ResolveCommon(const ConvAttrs& a, const Shape& x, const Shape& w, ConvGeometry* g) {
  if (x.size() < 3 || x.size() > 5)
    return Status::NotSupported("input rank " + std::to_string(x.size()) + ", expected 3..5 (1-3 spatial dims)");
  if (w.size() != x.size())
    return Status::InvalidArgument("weight shape " + ShapeToString(w) + " does not match input rank " +
                                   std::to_string(x.size()));
  g->nsp = static_cast<int>(x.size()) - 2;
  size_t n = g->nsp;
  g->n = x[0];
  g->c = x[1];
  g->group = a.group;
  g->in.assign(x.begin() + 2, x.end());
  g->k.assign(w.begin() + 2, w.end());
  if (!a.kernel_shape.empty() && a.kernel_shape != g->k)
    return Status::InvalidArgument("kernel_shape " + Join(a.kernel_shape) + " does not match weight shape " +
                                   ShapeToString(w));
  g->s = a.strides;
  g->d = a.dilations;
  LITEMP_RETURN_IF_ERROR(Fill(&g->s, n, 1, "strides"));
  LITEMP_RETURN_IF_ERROR(Fill(&g->d, n, 1, "dilations"));
  LITEMP_RETURN_IF_ERROR(CheckPositive(g->k, "kernel dims"));
  for (int64_t v : g->in)
    if (v <= 0) return Status::InvalidArgument("input shape " + ShapeToString(x) + " has an empty spatial dim");
  return Status::OK();
}

Status CheckOutput(const ConvGeometry& g) {
  for (int64_t v : g.out)
    if (v <= 0) return Status::InvalidArgument("output spatial dims " + Join(g.out) + " would be empty");
  return Status::OK();
}

}  // namespace

Status ConvAttrs::Parse(const Attributes& a, bool transpose) {
  kernel_shape = a.GetInts("kernel_shape");
  strides = a.GetInts("strides");
  dilations = a.GetInts("dilations");
  pads = a.GetInts("pads");
  group = a.GetInt("group", 1);
  std::string ap = a.GetString("auto_pad", "NOTSET");
  if (ap == "NOTSET" || ap.empty()) auto_pad = AutoPad::kNotSet;
  else if (ap == "SAME_UPPER") auto_pad = AutoPad::kSameUpper;
  else if (ap == "SAME_LOWER") auto_pad = AutoPad::kSameLower;
  else if (ap == "VALID") auto_pad = AutoPad::kValid;
  else return Status::InvalidArgument("auto_pad '" + ap + "', expected NOTSET, SAME_UPPER, SAME_LOWER or VALID");
  if (group < 1) return Status::InvalidArgument("group " + std::to_string(group) + " must be >= 1");
  LITEMP_RETURN_IF_ERROR(CheckPositive(strides, "strides"));
  LITEMP_RETURN_IF_ERROR(CheckPositive(dilations, "dilations"));
  LITEMP_RETURN_IF_ERROR(CheckPositive(kernel_shape, "kernel_shape"));
  if (pads.size() % 2) return Status::InvalidArgument("pads " + Join(pads) + " must have an even length");
  for (int64_t p : pads)
    if (p < 0) return Status::InvalidArgument("pads " + Join(pads) + " must be non-negative");
  if (transpose) {
    output_padding = a.GetInts("output_padding");
    output_shape = a.GetInts("output_shape");
    for (int64_t p : output_padding)
      if (p < 0) return Status::InvalidArgument("output_padding " + Join(output_padding) + " must be non-negative");
    LITEMP_RETURN_IF_ERROR(CheckPositive(output_shape, "output_shape"));
  }
  return Status::OK();
}

Shape ConvGeometry::OutputShape() const {
  Shape s = {n, m};
  s.insert(s.end(), out.begin(), out.end());
  return s;
}

double ConvGeometry::Macs() const {
  double r = static_cast<double>(n) * m * (c / group);
  for (int i = 0; i < nsp; ++i) r *= static_cast<double>(out[i]) * k[i];
  return r;
}

Status ResolveConv(const ConvAttrs& a, const Shape& x, const Shape& w, ConvGeometry* g) {
  LITEMP_RETURN_IF_ERROR(ResolveCommon(a, x, w, g));
  if (g->c % a.group != 0 || w[1] * a.group != g->c)
    return Status::InvalidArgument("input channels " + std::to_string(g->c) + " do not match weight shape " +
                                   ShapeToString(w) + " with group " + std::to_string(a.group));
  g->m = w[0];
  if (g->m % a.group != 0)
    return Status::InvalidArgument("output channels " + std::to_string(g->m) + " are not divisible by group " +
                                   std::to_string(a.group));
  size_t n = g->nsp;
  std::vector<int64_t> pads = a.pads;
  LITEMP_RETURN_IF_ERROR(Fill(&pads, 2 * n, 0, "pads"));
  g->pb.assign(pads.begin(), pads.begin() + n);
  g->pe.assign(pads.begin() + n, pads.end());
  g->out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t dk = (g->k[i] - 1) * g->d[i] + 1;
    if (a.auto_pad == AutoPad::kSameUpper || a.auto_pad == AutoPad::kSameLower) {
      g->out[i] = (g->in[i] + g->s[i] - 1) / g->s[i];
      int64_t total = std::max<int64_t>(0, (g->out[i] - 1) * g->s[i] + dk - g->in[i]);
      // The odd pixel goes at the end for SAME_UPPER, at the beginning for SAME_LOWER.
      int64_t small = total / 2;
      g->pb[i] = a.auto_pad == AutoPad::kSameUpper ? small : total - small;
      g->pe[i] = total - g->pb[i];
    } else {
      if (a.auto_pad == AutoPad::kValid) g->pb[i] = g->pe[i] = 0;
      int64_t span = g->in[i] + g->pb[i] + g->pe[i] - dk;
      g->out[i] = span < 0 ? 0 : span / g->s[i] + 1;
    }
  }
  return CheckOutput(*g);
}

Status ResolveConvTranspose(const ConvAttrs& a, const Shape& x, const Shape& w, ConvGeometry* g) {
  LITEMP_RETURN_IF_ERROR(ResolveCommon(a, x, w, g));
  if (w[0] != g->c || g->c % a.group != 0)
    return Status::InvalidArgument("input channels " + std::to_string(g->c) + " do not match weight shape " +
                                   ShapeToString(w) + " with group " + std::to_string(a.group));
  g->m = w[1] * a.group;
  size_t n = g->nsp;
  g->out_pad = a.output_padding;
  LITEMP_RETURN_IF_ERROR(Fill(&g->out_pad, n, 0, "output_padding"));
  std::vector<int64_t> oshape = a.output_shape;
  // Some exporters write the full [N,C,D...] output shape; only the spatial part matters.
  if (oshape.size() == n + 2) oshape.erase(oshape.begin(), oshape.begin() + 2);
  if (!oshape.empty() && oshape.size() != n)
    return Status::InvalidArgument("output_shape " + Join(a.output_shape) + " has " +
                                   std::to_string(a.output_shape.size()) + " values, expected " + std::to_string(n));
  std::vector<int64_t> pads = a.pads;
  LITEMP_RETURN_IF_ERROR(Fill(&pads, 2 * n, 0, "pads"));
  g->pb.assign(pads.begin(), pads.begin() + n);
  g->pe.assign(pads.begin() + n, pads.end());
  g->out.resize(n);
  bool same = a.auto_pad == AutoPad::kSameUpper || a.auto_pad == AutoPad::kSameLower;
  for (size_t i = 0; i < n; ++i) {
    int64_t full = g->s[i] * (g->in[i] - 1) + g->out_pad[i] + (g->k[i] - 1) * g->d[i] + 1;
    if (!oshape.empty() || same) {
      // The output size is given (or in*stride for SAME); the padding follows from it and
      // may be negative, meaning zero rows are appended.
      g->out[i] = !oshape.empty() ? oshape[i] : g->in[i] * g->s[i];
      int64_t total = full - g->out[i];
      int64_t half = FloorDiv2(total);
      if (a.auto_pad == AutoPad::kSameUpper) {
        g->pb[i] = half;
        g->pe[i] = total - half;
      } else {
        g->pe[i] = half;
        g->pb[i] = total - half;
      }
    } else {
      if (a.auto_pad == AutoPad::kValid) g->pb[i] = g->pe[i] = 0;
      g->out[i] = full - g->pb[i] - g->pe[i];
    }
  }
  return CheckOutput(*g);
}

}  // namespace litemp
