#include "kernels/dnnl/conv_ref.h"

#include "core/parallel.h"
#include "kernels/util.h"

namespace litemp {

namespace {

// The geometry padded to exactly 3 spatial dims (leading dims of size 1), so one loop
// nest serves 1-D, 2-D and 3-D.
struct Geom3 {
  int64_t in[3], out[3], k[3], s[3], d[3], p[3];
  int64_t in_size, out_size, k_size;
  explicit Geom3(const ConvGeometry& g) {
    int off = 3 - g.nsp;
    for (int i = 0; i < 3; ++i) {
      bool pad = i < off;
      in[i] = pad ? 1 : g.in[i - off];
      out[i] = pad ? 1 : g.out[i - off];
      k[i] = pad ? 1 : g.k[i - off];
      s[i] = pad ? 1 : g.s[i - off];
      d[i] = pad ? 1 : g.d[i - off];
      p[i] = pad ? 0 : g.pb[i - off];
    }
    in_size = in[0] * in[1] * in[2];
    out_size = out[0] * out[1] * out[2];
    k_size = k[0] * k[1] * k[2];
  }
};

}  // namespace

template <class T>
void ConvRef(const ConvGeometry& g, const T* x, const T* w, const T* b, T* y) {
  const Geom3 q(g);
  const int64_t cg = g.c / g.group, mg = g.m / g.group;
  ParallelFor(g.n * g.m, [&](int64_t begin, int64_t end) {
    for (int64_t nm = begin; nm < end; ++nm) {
      const int64_t n = nm / g.m, oc = nm % g.m, grp = oc / mg;
      const T* xg = x + (n * g.c + grp * cg) * q.in_size;
      const T* wo = w + oc * cg * q.k_size;
      T* yo = y + nm * q.out_size;
      for (int64_t o0 = 0; o0 < q.out[0]; ++o0)
        for (int64_t o1 = 0; o1 < q.out[1]; ++o1)
          for (int64_t o2 = 0; o2 < q.out[2]; ++o2) {
            double acc = b ? static_cast<double>(b[oc]) : 0.0;
            for (int64_t ic = 0; ic < cg; ++ic)
              for (int64_t k0 = 0; k0 < q.k[0]; ++k0) {
                int64_t i0 = o0 * q.s[0] - q.p[0] + k0 * q.d[0];
                if (i0 < 0 || i0 >= q.in[0]) continue;
                for (int64_t k1 = 0; k1 < q.k[1]; ++k1) {
                  int64_t i1 = o1 * q.s[1] - q.p[1] + k1 * q.d[1];
                  if (i1 < 0 || i1 >= q.in[1]) continue;
                  for (int64_t k2 = 0; k2 < q.k[2]; ++k2) {
                    int64_t i2 = o2 * q.s[2] - q.p[2] + k2 * q.d[2];
                    if (i2 < 0 || i2 >= q.in[2]) continue;
                    double xv = xg[ic * q.in_size + (i0 * q.in[1] + i1) * q.in[2] + i2];
                    double wv = wo[ic * q.k_size + (k0 * q.k[1] + k1) * q.k[2] + k2];
                    acc += xv * wv;
                  }
                }
              }
            yo[(o0 * q.out[1] + o1) * q.out[2] + o2] = static_cast<T>(acc);
          }
    }
  }, cg * q.out_size * q.k_size);
}

template <class T>
void ConvTransposeRef(const ConvGeometry& g, const T* x, const T* w, const T* b, T* y) {
  const Geom3 q(g);
  const int64_t cg = g.c / g.group, mg = g.m / g.group;
  // Gather form: each output element sums the inputs that scatter onto it, so the
  // parallel chunks never write the same element.
  ParallelFor(g.n * g.m, [&](int64_t begin, int64_t end) {
    for (int64_t nm = begin; nm < end; ++nm) {
      const int64_t n = nm / g.m, oc = nm % g.m, grp = oc / mg, ocg = oc % mg;
      const T* xg = x + (n * g.c + grp * cg) * q.in_size;
      T* yo = y + nm * q.out_size;
      for (int64_t o0 = 0; o0 < q.out[0]; ++o0)
        for (int64_t o1 = 0; o1 < q.out[1]; ++o1)
          for (int64_t o2 = 0; o2 < q.out[2]; ++o2) {
            double acc = b ? static_cast<double>(b[oc]) : 0.0;
            for (int64_t k0 = 0; k0 < q.k[0]; ++k0) {
              int64_t t0 = o0 + q.p[0] - k0 * q.d[0];
              if (t0 < 0 || t0 % q.s[0] || t0 / q.s[0] >= q.in[0]) continue;
              for (int64_t k1 = 0; k1 < q.k[1]; ++k1) {
                int64_t t1 = o1 + q.p[1] - k1 * q.d[1];
                if (t1 < 0 || t1 % q.s[1] || t1 / q.s[1] >= q.in[1]) continue;
                for (int64_t k2 = 0; k2 < q.k[2]; ++k2) {
                  int64_t t2 = o2 + q.p[2] - k2 * q.d[2];
                  if (t2 < 0 || t2 % q.s[2] || t2 / q.s[2] >= q.in[2]) continue;
                  int64_t xi = (t0 / q.s[0] * q.in[1] + t1 / q.s[1]) * q.in[2] + t2 / q.s[2];
                  int64_t ki = (k0 * q.k[1] + k1) * q.k[2] + k2;
                  for (int64_t ic = 0; ic < cg; ++ic) {
                    double xv = xg[ic * q.in_size + xi];
                    double wv = w[((grp * cg + ic) * mg + ocg) * q.k_size + ki];
                    acc += xv * wv;
                  }
                }
              }
            }
            yo[(o0 * q.out[1] + o1) * q.out[2] + o2] = static_cast<T>(acc);
          }
    }
  }, cg * q.out_size * q.k_size);
}

template void ConvRef<float>(const ConvGeometry&, const float*, const float*, const float*, float*);
template void ConvRef<double>(const ConvGeometry&, const double*, const double*, const double*, double*);
template void ConvTransposeRef<float>(const ConvGeometry&, const float*, const float*, const float*, float*);
template void ConvTransposeRef<double>(const ConvGeometry&, const double*, const double*, const double*,
                                       double*);

Status RunConvRef(const ConvGeometry& g, bool transpose, const Tensor& x0, const Tensor& w0, const Tensor* b0,
                  Tensor* y) {
  Tensor x = ToPlain(x0), w = ToPlain(w0), b = b0 ? ToPlain(*b0) : Tensor();
  if (w.dtype() != x.dtype() || (b.defined() && b.dtype() != x.dtype()))
    return Status::InvalidArgument(std::string("input dtypes differ: X ") + DTypeName(x.dtype()) + ", W " +
                                   DTypeName(w.dtype()) + (b.defined() ? std::string(", B ") + DTypeName(b.dtype()) : ""));
  if (b.defined() && b.numel() != g.m)
    return Status::InvalidArgument("bias shape " + ShapeToString(b.shape()) + ", expected [" + std::to_string(g.m) +
                                   "]");
  return DispatchFloat(x.dtype(), [&]<class T>() {
    Tensor out(x.dtype(), g.OutputShape());
    const T* bp = b.defined() ? b.data<T>() : nullptr;
    if (transpose) ConvTransposeRef<T>(g, x.data<T>(), w.data<T>(), bp, out.data<T>());
    else ConvRef<T>(g, x.data<T>(), w.data<T>(), bp, out.data<T>());
    *y = std::move(out);
    return Status::OK();
  });
}

}  // namespace litemp
