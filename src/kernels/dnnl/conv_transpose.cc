// ConvTranspose on oneDNN's deconvolution (plain layouts, weights in the layout oneDNN
// picks), with ConvTransposeRef for float64 and configurations oneDNN declines.
//
// Negative effective padding (output_padding beyond the end pads, or an output_shape
// larger than the natural size) only appends rows that no input reaches (they hold just
// the bias), so oneDNN computes the covered part and it is copied into a bias-filled output.
#include <algorithm>
#include <unordered_map>

#include "kernels/dnnl/conv.h"
#include "kernels/dnnl/conv_ref.h"
#include "kernels/dnnl/dnnl_engine.h"

namespace litemp {

using dnnl::memory;

namespace {

// Copies `inner` into a tensor of `shape` at spatial `offset` (dims 2.. of plain rank
// 3-5 tensors); the rest of channel c holds bias[c] (0 without bias).
Tensor Embed(const Tensor& inner, const Shape& shape, const std::vector<int64_t>& offset, const Tensor* bias) {
  Tensor out(DType::kFloat32, shape);
  const int64_t plane = NumElements(shape) / std::max<int64_t>(1, shape[0] * shape[1]);
  for (int64_t i = 0; i < shape[0] * shape[1]; ++i)
    std::fill_n(out.data<float>() + i * plane, plane, bias ? bias->data<float>()[i % shape[1]] : 0.f);
  // Pad both to 3 spatial dims so that one loop nest serves all ranks.
  int lead = 5 - static_cast<int>(shape.size());
  Shape is(lead, 1), os(lead, 1);
  std::vector<int64_t> off(lead, 0);
  is.insert(is.end(), inner.shape().begin() + 2, inner.shape().end());
  os.insert(os.end(), shape.begin() + 2, shape.end());
  off.insert(off.end(), offset.begin(), offset.end());
  const int64_t planes = shape[0] * shape[1];
  const float* src = inner.data<float>();
  float* dst = out.data<float>();
  for (int64_t pl = 0; pl < planes; ++pl)
    for (int64_t a = 0; a < is[0]; ++a)
      for (int64_t b = 0; b < is[1]; ++b) {
        const float* s = src + ((pl * is[0] + a) * is[1] + b) * is[2];
        float* d = dst + ((pl * os[0] + a + off[0]) * os[1] + b + off[1]) * os[2] + off[2];
        std::copy(s, s + is[2], d);
      }
  return out;
}

}  // namespace

struct ConvTransposeKernel::Prim {
  ConvGeometry g;
  // When padding is negative somewhere: the part oneDNN computes and where it sits.
  bool embed = false;
  Shape inner_shape;
  std::vector<int64_t> offset;  // per spatial dim
  bool use_ref = false;
  bool has_bias = false;
  bool wei_is_user = false, wei_ready = false;
  dnnl::deconvolution_forward deconv;
  memory::desc user_w_md;
  memory src, wei, bias, dst, scratch;
  std::unordered_map<int, memory> args;
  std::string impl;
};

ConvTransposeKernel::ConvTransposeKernel() = default;
ConvTransposeKernel::~ConvTransposeKernel() = default;

Status ConvTransposeKernel::Init(const KernelInit& init) {
  LITEMP_RETURN_IF_ERROR(attrs_.Parse(init.attrs(), /*transpose=*/true));
  if (!init.has_input(0) || !init.has_input(1))
    return Status::InvalidArgument("ConvTranspose needs inputs X and W, got " + std::to_string(init.num_inputs()));
  if (const Tensor* w = init.constant_input(1)) const_w_ = ToPlain(*w);
  if (const Tensor* b = init.constant_input(2)) const_b_ = ToPlain(*b);
  return Status::OK();
}

Status ConvTransposeKernel::BuildPrim(Prim* p) {
  const ConvGeometry& g = p->g;
  // oneDNN's right padding already includes output_padding (extra rows at the end).
  // Negative pads are clamped to 0 and the result embedded (see the file comment).
  std::vector<int64_t> pl(g.nsp), pr(g.nsp);
  p->inner_shape = {g.n, g.m};
  p->offset.assign(g.nsp, 0);
  for (int i = 0; i < g.nsp; ++i) {
    pl[i] = std::max<int64_t>(g.pb[i], 0);
    pr[i] = std::max<int64_t>(g.pe[i] - g.out_pad[i], 0);
    int64_t natural = g.s[i] * (g.in[i] - 1) + (g.k[i] - 1) * g.d[i] + 1;
    p->inner_shape.push_back(natural - pl[i] - pr[i]);
    p->offset[i] = pl[i] - g.pb[i];
    if (p->inner_shape.back() != g.out[i]) p->embed = true;
    if (p->inner_shape.back() <= 0) {
      p->use_ref = true;  // nothing for oneDNN to compute
      return Status::OK();
    }
  }
  LITEMP_ASSIGN_OR_RETURN(DnnlEnv* env, GetDnnlEnv());
  return DnnlTry("ConvTranspose primitive creation", [&]() -> Status {
    memory::dims src_dims = {g.n, g.c}, dst_dims = ToDims(p->inner_shape);
    src_dims.insert(src_dims.end(), g.in.begin(), g.in.end());
    // oneDNN weights are [G,] O, I, k...; ONNX stores [C_in, M/G, k...], i.e. (g, i, o, k).
    const int64_t cg = g.c / g.group, mg = g.m / g.group;
    int64_t ks = 1;
    for (int64_t k : g.k) ks *= k;
    memory::dims wdims, wstrides;
    if (g.group == 1) {
      wdims = {g.m, g.c};
      wstrides = {ks, g.m * ks};
    } else {
      wdims = {g.group, mg, cg};
      wstrides = {cg * mg * ks, ks, mg * ks};
    }
    int64_t acc = ks;
    for (int i = 0; i < g.nsp; ++i) {
      wdims.push_back(g.k[i]);
      acc /= g.k[i];
      wstrides.push_back(acc);
    }
    p->user_w_md = memory::desc(wdims, memory::data_type::f32, wstrides);
    memory::desc w_md(wdims, memory::data_type::f32, memory::format_tag::any);
    memory::desc b_md =
        p->has_bias ? memory::desc({g.m}, memory::data_type::f32, memory::format_tag::x) : memory::desc();
    dnnl::deconvolution_forward::primitive_desc pd;
    try {
      dnnl::deconvolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::deconvolution_direct,
                                          PlainDesc(src_dims), w_md, b_md, PlainDesc(dst_dims), ToDims(g.s),
                                          ToDims(g.d, 1), ToDims(pl), ToDims(pr));
      dnnl::primitive_attr attr;
      UseCallerScratchpad(&attr);
      pd = dnnl::deconvolution_forward::primitive_desc(d, attr, env->engine, /*allow_empty=*/true);
    } catch (const dnnl::error&) {
      pd = {};  // an invalid/unsupported descriptor: same as no implementation
    }
    if (!pd) {
      p->use_ref = true;
      return Status::OK();
    }
    p->impl = pd.impl_info_str();
    p->deconv = dnnl::deconvolution_forward(pd);
    p->src = UnboundMemory(env, pd.src_desc());
    p->dst = UnboundMemory(env, pd.dst_desc());
    p->wei_is_user = pd.weights_desc() == p->user_w_md;
    p->wei = p->wei_is_user ? UnboundMemory(env, p->user_w_md) : memory(pd.weights_desc(), env->engine);
    p->args = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_WEIGHTS, p->wei}, {DNNL_ARG_DST, p->dst}};
    if (p->has_bias) {
      p->bias = UnboundMemory(env, pd.bias_desc());
      p->args[DNNL_ARG_BIAS] = p->bias;
    }
    BindScratchpad(env, pd, &p->scratch, &p->args);
    return Status::OK();
  });
}

Status ConvTransposeKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  const Tensor* w = const_w_.defined() ? &const_w_ : ctx.input(1);
  const Tensor* b = const_b_.defined() ? &const_b_ : ctx.input(2);
  if (!x || !w) return Status::InvalidArgument("ConvTranspose needs inputs X and W");
  ConvGeometry g;
  LITEMP_RETURN_IF_ERROR(ResolveConvTranspose(attrs_, x->shape(), w->shape(), &g));
  if (b && (b->rank() != 1 || b->dim(0) != g.m))
    return Status::InvalidArgument("bias shape " + ShapeToString(b->shape()) + ", expected [" +
                                   std::to_string(g.m) + "]");
  bool f32 = x->dtype() == DType::kFloat32 && w->dtype() == DType::kFloat32 &&
             (!b || b->dtype() == DType::kFloat32);
  if (!f32 || x->numel() == 0) {
    last_impl_ = "ref";
    return RunConvRef(g, true, *x, *w, b, ctx.output(0));
  }
  std::vector<int64_t> key = x->shape();
  key.insert(key.end(), w->shape().begin(), w->shape().end());
  key.push_back(b != nullptr);  // an optional runtime B may come and go
  auto& slot = cache_[key];
  if (!slot) {
    auto p = std::make_unique<Prim>();
    p->g = g;
    p->has_bias = b != nullptr;
    LITEMP_RETURN_IF_ERROR(BuildPrim(p.get()));
    slot = std::move(p);
  }
  Prim* p = slot.get();
  last_impl_ = p->use_ref ? "ref" : p->impl;
  if (p->use_ref) return RunConvRef(g, true, *x, *w, b, ctx.output(0));

  return DnnlTry("ConvTranspose execution", [&]() -> Status {
    DnnlEnv* env = GetDnnlEnv().value();
    Tensor xin = ToPlain(*x);  // AcceptsNhwc() is false, so normally a no-op
    if (!p->wei_ready) {
      if (p->wei_is_user) p->wei.set_data_handle(const_cast<void*>(w->raw_data()));
      else ReorderInto(env, p->user_w_md, w->raw_data(), p->wei);
      p->wei_ready = const_w_.defined();
    }
    if (b) p->bias.set_data_handle(const_cast<void*>(b->raw_data()));
    Tensor y(DType::kFloat32, p->inner_shape);
    p->src.set_data_handle(const_cast<void*>(xin.raw_data()));
    p->dst.set_data_handle(y.raw_data());
    p->deconv.execute(env->stream, p->args);
    env->stream.wait();
    *ctx.output(0) = p->embed ? Embed(y, g.OutputShape(), p->offset, b) : std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp
