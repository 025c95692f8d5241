// Conv on oneDNN. See conv.h for the layout and caching policy.
#include "kernels/dnnl/conv.h"

#include <cmath>
#include <cstring>
#include <unordered_map>

#include "kernels/dnnl/conv_ref.h"
#include "kernels/dnnl/dnnl_engine.h"

namespace litemp {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;

// oneDNN weight dims for ONNX W [M, C/G, k...]: [M, C, k...], or [G, M/G, C/G, k...].
memory::dims ConvWeightDims(const ConvGeometry& g) {
  memory::dims d = g.group == 1 ? memory::dims{g.m, g.c} : memory::dims{g.group, g.m / g.group, g.c / g.group};
  d.insert(d.end(), g.k.begin(), g.k.end());
  return d;
}

// The prefix of the context's post-ops this conv can fuse: float32 clips, and sums whose
// addend matches the output exactly (shape, layout, dtype); oneDNN takes one sum.
std::vector<PostOp> UsablePostOps(const KernelContext& ctx, const Shape& out_shape, Layout out_layout) {
  std::vector<PostOp> r;
  bool has_sum = false;
  for (int i = 0; i < ctx.num_post_ops(); ++i) {
    const PostOp& op = ctx.post_op(i);
    if (op.kind == PostOp::Kind::kSum) {
      const Tensor* a = op.addend;
      if (has_sum || !a || a->dtype() != DType::kFloat32 || a->shape() != out_shape || a->layout() != out_layout)
        break;
      has_sum = true;
    }
    r.push_back(op);
  }
  return r;
}

void AppendPostOpKey(const std::vector<PostOp>& post, std::vector<int64_t>* key) {
  for (const PostOp& op : post) {
    key->push_back(static_cast<int64_t>(op.kind) + 100);
    if (op.kind != PostOp::Kind::kClip) continue;
    int32_t lo, hi;
    std::memcpy(&lo, &op.lo, 4);
    std::memcpy(&hi, &op.hi, 4);
    key->push_back(lo);
    key->push_back(hi);
  }
}

dnnl::primitive_attr PostOpAttr(const std::vector<PostOp>& post) {
  dnnl::post_ops ops;
  for (const PostOp& op : post) {
    if (op.kind == PostOp::Kind::kSum) ops.append_sum(1.f);
    else if (op.lo == 0 && std::isinf(op.hi) && op.hi > 0) ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    else ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, op.lo, op.hi);
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  return attr;
}

}  // namespace

// A primitive built for one input shape (and layout), with its bound memories.
struct ConvKernel::Prim {
  ConvGeometry g;
  bool use_ref = false;      // oneDNN rejected the configuration
  bool src_to_nhwc = false;  // rank-4 plain input: converted by `to_nhwc` into `nhwc_buf`
  dnnl::reorder to_nhwc;     // (oneDNN's reorder is ~3x faster than ToNhwc here)
  memory plain_src;
  Tensor nhwc_buf;           // kept across runs: no fresh pages per run
  Layout out_layout = Layout::kPlain;
  int post_ops = 0;          // how many of the requested post-ops the primitive applies
  dnnl::convolution_forward conv;
  memory::desc user_w_md;  // ONNX weight layout
  memory src, wei, bias, dst;
  bool wei_is_user = false;  // oneDNN reads the ONNX weights in place
  bool wei_ready = false;    // constant weights already bound/reordered
  bool has_bias = false;
  std::unordered_map<int, memory> args;
  std::string impl;
};

ConvKernel::ConvKernel() = default;
ConvKernel::~ConvKernel() = default;

Status ConvKernel::Init(const KernelInit& init) {
  LITEMP_RETURN_IF_ERROR(attrs_.Parse(init.attrs(), /*transpose=*/false));
  if (!init.has_input(0) || !init.has_input(1))
    return Status::InvalidArgument("Conv needs inputs X and W, got " + std::to_string(init.num_inputs()));
  if (const Tensor* w = init.constant_input(1)) const_w_ = ToPlain(*w);
  if (const Tensor* b = init.constant_input(2)) const_b_ = ToPlain(*b);
  return Status::OK();
}

Status ConvKernel::Run(KernelContext& ctx) {
  const Tensor* x = ctx.input(0);
  const Tensor* w = const_w_.defined() ? &const_w_ : ctx.input(1);
  const Tensor* b = const_b_.defined() ? &const_b_ : ctx.input(2);
  if (!x || !w) return Status::InvalidArgument("Conv needs inputs X and W");
  // AcceptsNhwc() covers every input: a runtime W computed by an NHWC producer is made plain.
  Tensor w_plain;
  if (w->layout() != Layout::kPlain) {
    w_plain = ToPlain(*w);
    w = &w_plain;
  }
  ConvGeometry g;
  LITEMP_RETURN_IF_ERROR(ResolveConv(attrs_, x->shape(), w->shape(), &g));
  if (b && (b->rank() != 1 || b->dim(0) != g.m))
    return Status::InvalidArgument("bias shape " + ShapeToString(b->shape()) + ", expected [" +
                                   std::to_string(g.m) + "]");
  bool f32 = x->dtype() == DType::kFloat32 && w->dtype() == DType::kFloat32 &&
             (!b || b->dtype() == DType::kFloat32);
  if (!f32 || x->numel() == 0) {
    last_impl_ = "ref";
    return RunConvRef(g, false, *x, *w, b, ctx.output(0));
  }
  const Layout out_layout = g.nsp == 2 ? Layout::kNhwc : Layout::kPlain;
  std::vector<PostOp> post = UsablePostOps(ctx, g.OutputShape(), out_layout);
  std::vector<int64_t> key = x->shape();
  key.push_back(static_cast<int64_t>(x->layout()));
  key.insert(key.end(), w->shape().begin(), w->shape().end());
  key.push_back(b != nullptr);  // an optional runtime B may come and go
  AppendPostOpKey(post, &key);
  auto& slot = cache_[key];
  if (!slot) {
    auto p = std::make_unique<Prim>();
    p->g = g;
    p->has_bias = b != nullptr;
    LITEMP_RETURN_IF_ERROR(BuildPrim(x->layout(), post, p.get()));
    slot = std::move(p);
  }
  Prim* p = slot.get();
  last_impl_ = p->use_ref ? "ref" : p->impl;
  if (p->use_ref) return RunConvRef(g, false, *x, *w, b, ctx.output(0));

  return DnnlTry("Conv execution", [&]() -> Status {
    DnnlEnv* env = GetDnnlEnv().value();
    const void* src = x->raw_data();
    if (p->src_to_nhwc) {
      p->plain_src.set_data_handle(const_cast<void*>(src));
      p->to_nhwc.execute(env->stream, p->plain_src, p->src);
      src = p->nhwc_buf.raw_data();
    }
    if (!p->wei_ready) {
      if (p->wei_is_user) p->wei.set_data_handle(const_cast<void*>(w->raw_data()));
      else ReorderInto(env, p->user_w_md, w->raw_data(), p->wei);
      p->wei_ready = const_w_.defined();
    }
    if (b) p->bias.set_data_handle(const_cast<void*>(b->raw_data()));
    // With a sum post-op the conv accumulates into the addend, whose buffer becomes y.
    Tensor y;
    for (int i = 0; i < p->post_ops; ++i) {
      if (post[i].kind != PostOp::Kind::kSum) continue;
      y = post[i].addend->unique() ? std::move(*post[i].addend) : post[i].addend->Clone();
    }
    if (!y.defined()) y = Tensor(DType::kFloat32, g.OutputShape(), p->out_layout);
    if (!p->src_to_nhwc) p->src.set_data_handle(const_cast<void*>(src));
    p->dst.set_data_handle(y.raw_data());
    p->conv.execute(env->stream, p->args);
    env->stream.wait();
    *ctx.output(0) = std::move(y);
    ctx.set_post_ops_applied(p->post_ops);
    return Status::OK();
  });
}

Status ConvKernel::BuildPrim(Layout in_layout, const std::vector<PostOp>& post, Prim* p) {
  LITEMP_ASSIGN_OR_RETURN(DnnlEnv* env, GetDnnlEnv());
  return DnnlTry("Conv primitive creation", [&]() -> Status {
    const ConvGeometry& g = p->g;
    memory::dims src_dims = {g.n, g.c}, dst_dims = {g.n, g.m};
    src_dims.insert(src_dims.end(), g.in.begin(), g.in.end());
    dst_dims.insert(dst_dims.end(), g.out.begin(), g.out.end());
    memory::desc src_md, dst_md;
    if (g.nsp == 2) {
      // Channels-last: the runtime's NHWC activations feed oneDNN without reorders. A plain
      // input is converted first: for nchw src + nhwc dst oneDNN 2.6 has only its
      // reference kernel (~1000x slower), and converting the input beats both an nchw
      // conv plus output conversion and a blocked output plus reorder.
      src_md = memory::desc(src_dims, memory::data_type::f32, Tag::nhwc);
      dst_md = memory::desc(dst_dims, memory::data_type::f32, Tag::nhwc);
      p->src_to_nhwc = in_layout == Layout::kPlain;
      p->out_layout = Layout::kNhwc;
    } else {
      src_md = PlainDesc(src_dims);
      dst_md = PlainDesc(dst_dims);
    }
    memory::dims wdims = ConvWeightDims(g);
    p->user_w_md = PlainDesc(wdims);
    memory::desc w_md(wdims, memory::data_type::f32, Tag::any);
    memory::desc b_md = p->has_bias ? memory::desc({g.m}, memory::data_type::f32, Tag::x) : memory::desc();
    // With post-ops first; without them when oneDNN has only its reference kernel for them.
    auto make_pd = [&](const std::vector<PostOp>& ops) {
      dnnl::convolution_forward::primitive_desc pd;
      try {
        dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                          src_md, w_md, b_md, dst_md, ToDims(g.s), ToDims(g.d, 1), ToDims(g.pb),
                                          ToDims(g.pe));
        pd = dnnl::convolution_forward::primitive_desc(d, PostOpAttr(ops), env->engine, /*allow_empty=*/true);
      } catch (const dnnl::error&) {
        pd = {};  // an invalid/unsupported descriptor: same as no implementation
      }
      return pd;
    };
    dnnl::convolution_forward::primitive_desc pd;
    if (!post.empty()) {
      pd = make_pd(post);
      if (pd && std::string(pd.impl_info_str()).find("ref") != std::string::npos) pd = {};
      if (pd) p->post_ops = static_cast<int>(post.size());
    }
    if (!pd) pd = make_pd({});
    if (!pd) {
      p->use_ref = true;
      return Status::OK();
    }
    p->impl = pd.impl_info_str();
    p->conv = dnnl::convolution_forward(pd);
    p->src = UnboundMemory(env, pd.src_desc());
    p->dst = UnboundMemory(env, pd.dst_desc());
    if (p->src_to_nhwc) {
      p->nhwc_buf = Tensor(DType::kFloat32, Shape(src_dims.begin(), src_dims.end()), Layout::kNhwc);
      p->src.set_data_handle(p->nhwc_buf.raw_data());
      p->plain_src = UnboundMemory(env, PlainDesc(src_dims));
      p->to_nhwc = dnnl::reorder(p->plain_src, p->src);
    }
    p->wei_is_user = pd.weights_desc() == p->user_w_md;
    p->wei = p->wei_is_user ? UnboundMemory(env, p->user_w_md) : memory(pd.weights_desc(), env->engine);
    p->args = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_WEIGHTS, p->wei}, {DNNL_ARG_DST, p->dst}};
    if (p->has_bias) {
      p->bias = UnboundMemory(env, pd.bias_desc());
      p->args[DNNL_ARG_BIAS] = p->bias;
    }
    return Status::OK();
  });
}

}  // namespace litemp
