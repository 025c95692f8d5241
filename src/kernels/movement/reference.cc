#include "kernels/movement/reference.h"

#include <cstring>

#include "kernels/util.h"

namespace litemp::movement::reference {
namespace {

// Row-major coordinates of flat index i in `shape`.
std::vector<int64_t> Coords(int64_t i, const Shape& shape) {
  std::vector<int64_t> c(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    c[d] = i % shape[d];
    i /= shape[d];
  }
  return c;
}

int64_t Flat(const std::vector<int64_t>& c, const Shape& shape) {
  int64_t f = 0;
  for (size_t d = 0; d < shape.size(); ++d) f = f * shape[d] + c[d];
  return f;
}

void CopyElem(const Tensor& src, int64_t si, Tensor* dst, int64_t di) {
  const size_t es = DTypeSize(src.dtype());
  std::memcpy(static_cast<char*>(dst->raw_data()) + di * es, static_cast<const char*>(src.raw_data()) + si * es, es);
}

}  // namespace

Tensor Transpose(const Tensor& x, const std::vector<int64_t>& perm) {
  Shape out(perm.size());
  for (size_t k = 0; k < perm.size(); ++k) out[k] = x.shape()[perm[k]];
  Tensor y(x.dtype(), out);
  for (int64_t i = 0; i < y.numel(); ++i) {
    const std::vector<int64_t> oc = Coords(i, out);
    std::vector<int64_t> ic(perm.size());
    for (size_t k = 0; k < perm.size(); ++k) ic[perm[k]] = oc[k];
    CopyElem(x, Flat(ic, x.shape()), &y, i);
  }
  return y;
}

Tensor Concat(const std::vector<Tensor>& xs, int64_t axis) {
  Shape out = xs[0].shape();
  out[axis] = 0;
  for (const Tensor& t : xs) out[axis] += t.shape()[axis];
  Tensor y(xs[0].dtype(), out);
  for (int64_t i = 0; i < y.numel(); ++i) {
    std::vector<int64_t> c = Coords(i, out);
    size_t which = 0;
    while (c[axis] >= xs[which].shape()[axis]) c[axis] -= xs[which++].shape()[axis];
    CopyElem(xs[which], Flat(c, xs[which].shape()), &y, i);
  }
  return y;
}

Tensor Slice(const Tensor& x, const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
             const std::vector<int64_t>& axes, const std::vector<int64_t>& steps) {
  const int r = x.rank();
  // The selected source indices per axis, listed by walking from start toward end.
  std::vector<std::vector<int64_t>> sel(r);
  for (int d = 0; d < r; ++d)
    for (int64_t i = 0; i < x.shape()[d]; ++i) sel[d].push_back(i);
  for (size_t k = 0; k < axes.size(); ++k) {
    const int64_t d = axes[k], n = x.shape()[d], step = steps[k];
    int64_t s = starts[k] < 0 ? starts[k] + n : starts[k];
    int64_t e = ends[k] < 0 ? ends[k] + n : ends[k];
    sel[d].clear();
    if (step > 0) {
      if (s < 0) s = 0;
      for (int64_t i = s; i < e && i < n; i += step) sel[d].push_back(i);
    } else {
      if (s > n - 1) s = n - 1;
      if (s < 0) s = n > 0 ? 0 : -1;  // the spec clamps start into [0, n-1] (numpy would not)
      for (int64_t i = s; i > e && i >= 0; i += step) sel[d].push_back(i);
    }
  }
  Shape out(r);
  for (int d = 0; d < r; ++d) out[d] = static_cast<int64_t>(sel[d].size());
  Tensor y(x.dtype(), out);
  for (int64_t i = 0; i < y.numel(); ++i) {
    std::vector<int64_t> c = Coords(i, out);
    for (int d = 0; d < r; ++d) c[d] = sel[d][c[d]];
    CopyElem(x, Flat(c, x.shape()), &y, i);
  }
  return y;
}

Tensor Gather(const Tensor& x, const Tensor& indices, int64_t axis) {
  const std::vector<int64_t> idx = ToInt64Vector(indices).value();
  Shape out(x.shape().begin(), x.shape().begin() + axis);
  out.insert(out.end(), indices.shape().begin(), indices.shape().end());
  out.insert(out.end(), x.shape().begin() + axis + 1, x.shape().end());
  const int q = indices.rank();
  Tensor y(x.dtype(), out);
  for (int64_t i = 0; i < y.numel(); ++i) {
    const std::vector<int64_t> oc = Coords(i, out);
    std::vector<int64_t> ic(oc.begin(), oc.begin() + axis);
    std::vector<int64_t> jc(oc.begin() + axis, oc.begin() + axis + q);
    int64_t v = idx[Flat(jc, indices.shape())];
    if (v < 0) v += x.shape()[axis];
    ic.push_back(v);
    ic.insert(ic.end(), oc.begin() + axis + q, oc.end());
    CopyElem(x, Flat(ic, x.shape()), &y, i);
  }
  return y;
}

}  // namespace litemp::movement::reference
