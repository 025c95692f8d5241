// Conv on oneDNN. See conv.h for the layout and caching policy.
#include "kernels/dnnl/conv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unordered_map>

#include "core/parallel.h"
#include "kernels/dnnl/conv_avx512_as_avx2.h"
#include "kernels/dnnl/conv_depthwise_avx512_as_avx2.h"
#include "kernels/dnnl/conv_ref.h"
#include "kernels/dnnl/depthwise_avx512_as_avx2.h"
#include "kernels/dnnl/dnnl_engine.h"
#include "kernels/post_ops.h"
#include "litemp/kernel_set.h"

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

Tag TagOf(Layout l) {
  return l == Layout::kNhwc ? Tag::nhwc : l == Layout::kNchw8c ? Tag::nChw8c : Tag::nchw;
}

bool IsRelu(const PostOp& op) { return op.kind == PostOp::Kind::kClip && op.lo == 0 && std::isinf(op.hi) && op.hi > 0; }

// The prefix of the context's post-ops this conv may fuse: clips, fake-quantizations, and
// one Add whose operand has the output's shape and dtype (BuildPrim checks its layout);
// not a Mul.
// oneDNN 2.6 applies the bounds of the first eltwise_clip post-op to every later one, so
// clips with other bounds end the prefix.
// From post-op `first` on, up to a SiLU (the stand-ins take those, SiLUPostOps) or a
// depthwise or 1x1 convolution (RunWithDepthwise's, RunWithPointwise's).
std::vector<PostOp> UsablePostOps(const KernelContext& ctx, int first, const Shape& out_shape) {
  std::vector<PostOp> r;
  bool has_add = false;
  const PostOp* clip = nullptr;
  for (int i = first; i < ctx.num_post_ops(); ++i) {
    const PostOp& op = ctx.post_op(i);
    if (op.kind == PostOp::Kind::kMul || op.kind == PostOp::Kind::kSiLU || op.kind == PostOp::Kind::kDepthwiseConv ||
        op.kind == PostOp::Kind::kPointwiseConv)
      break;
    if (op.kind == PostOp::Kind::kAdd) {
      const Tensor* a = op.operand;
      if (has_add || !a || a->dtype() != DType::kFloat32 || a->shape() != out_shape) break;
      has_add = true;
    }
    if (op.kind == PostOp::Kind::kClip && !IsRelu(op)) {
      if (clip && (clip->lo != op.lo || clip->hi != op.hi)) break;
      clip = &op;
    }
    r.push_back(op);
  }
  return r;
}

void AppendPostOpKey(const std::vector<PostOp>& post, std::vector<int64_t>* key) {
  for (const PostOp& op : post) {
    key->push_back(static_cast<int64_t>(op.kind) + 100);
    if (op.kind == PostOp::Kind::kAdd) key->push_back(static_cast<int64_t>(op.operand->layout()));
    if (op.kind != PostOp::Kind::kClip) continue;  // kQuantize numbers are bound at run time
    int32_t lo, hi;
    std::memcpy(&lo, &op.lo, 4);
    std::memcpy(&hi, &op.hi, 4);
    key->push_back(lo);
    key->push_back(hi);
  }
}

// oneDNN post-ops each of ours becomes: a fake-quantization is five (below).
int DnnlPostOpCount(const PostOp& op) { return op.kind == PostOp::Kind::kQuantize ? 5 : 1; }

// An Add is a binary post-op applied to the finished output, not oneDNN's sum (which may
// fold the addend into the accumulation early): fused results equal unfused ones bit for
// bit, so partial and full runs agree whatever was fused. A fake-quantization is a binary
// division by the scale (a true division, as FakeQuantize's result and ONNX Runtime's
// QuantizeLinear; x * (1 / scale) would differ in the last bit), binary max and min with
// the grid's ends (NaN becomes the low end, as in FakeQuantize; an eltwise clip would
// share the first clip's bounds, see UsablePostOps), round half to even (vroundps), and a
// binary multiplication. Its numbers are run-time operands: recalibrating reuses the
// primitive.
dnnl::primitive_attr PostOpAttr(const std::vector<PostOp>& post, const memory::dims& dst) {
  dnnl::post_ops ops;
  // Scalar operands: oneDNN's per-channel broadcast is ~5x slower in the 1x1 kernel.
  const memory::desc scalar = PlainDesc(memory::dims(dst.size(), 1));
  for (const PostOp& op : post) {
    if (op.kind == PostOp::Kind::kQuantize) {
      ops.append_binary(dnnl::algorithm::binary_div, scalar);
      ops.append_binary(dnnl::algorithm::binary_max, scalar);
      ops.append_binary(dnnl::algorithm::binary_min, scalar);
      ops.append_eltwise(1.f, dnnl::algorithm::eltwise_round, 0.f, 0.f);
      ops.append_binary(dnnl::algorithm::binary_mul, scalar);
      continue;
    }
    if (op.kind == PostOp::Kind::kAdd) {
      const Tensor& a = *op.operand;
      memory::dims d = ToDims(a.shape());
      ops.append_binary(dnnl::algorithm::binary_add, a.layout() == Layout::kPlain
                                                         ? PlainDesc(d)
                                                         : memory::desc(d, memory::data_type::f32, TagOf(a.layout())));
    }
    else if (IsRelu(op)) ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
    else ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, op.lo, op.hi);
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  UseCallerScratchpad(&attr);
  return attr;
}

// Writes a fake-quantization's run-time operands.
// REQUIRES: buf->size() == 3 (bound memories point into it).
void FillQuantOperands(const PostOp& op, std::vector<float>* buf) {
  (*buf)[0] = op.scale;
  (*buf)[1] = op.lo;
  (*buf)[2] = op.hi;
}

// Rank-4 (src, dst) layouts to try, best first. Blocked nChw8c is oneDNN's fastest AVX2
// layout (depthwise ~1.7x faster than NHWC); it needs channel counts divisible by 8 (no
// padding). A src other than the input's layout means reordering the input first.
std::vector<std::pair<Layout, Layout>> LayoutCandidates(Layout in, int64_t c, int64_t m) {
  std::vector<std::pair<Layout, Layout>> r;
  const Layout blk = Layout::kNchw8c, nhwc = Layout::kNhwc;
  auto add_nhwc = [&] {
    if (in != Layout::kPlain) r.push_back({in, nhwc});
    if (in != nhwc) r.push_back({nhwc, nhwc});  // nchw src + nhwc dst has only a ref kernel
  };
  if (ConvPrefersNhwc()) add_nhwc();
  if (m % 8 == 0) {
    r.push_back({in, blk});  // plain src works for small C (first layers)
    if (in != blk && c % 8 == 0) r.push_back({blk, blk});
  }
  if (!ConvPrefersNhwc()) add_nhwc();
  return r;
}

// Prefix lengths of `post` to try for dst layout `dst`, longest first: all of it up to an
// Add whose addend is in another layout, then cut before the first Add, before the first
// fake-quantization, and none (each a kind some oneDNN kernel may not support).
std::vector<size_t> PostOpPrefixes(const std::vector<PostOp>& post, Layout dst) {
  size_t usable = post.size(), first_add = post.size(), first_quant = post.size();
  for (size_t i = post.size(); i-- > 0;) {
    if (post[i].kind == PostOp::Kind::kAdd) {
      first_add = i;
      if (post[i].operand->layout() != dst) usable = i;
    }
    if (post[i].kind == PostOp::Kind::kQuantize) first_quant = i;
  }
  std::vector<size_t> r{usable, std::min(usable, first_add), std::min(usable, first_quant), 0};
  std::sort(r.rbegin(), r.rend());
  r.erase(std::unique(r.begin(), r.end()), r.end());
  return r;
}

// oneDNN's clip and ReLU (vmaxps with the low bound, then vminps with the high one): NaN
// becomes the low bound and -0 becomes a zero bound, where std::max and std::min would
// keep them. The stand-ins' clips are oneDNN's, as the rest of their results.
void ClipAsDnnl(float lo, float hi, float* y, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float v = y[i] > lo ? y[i] : lo;
    y[i] = v < hi ? v : hi;
  }
}

// Post-ops a stand-in applies after those oneDNN's kernel takes (from `first`): a SiLU
// (oneDNN's swish rounds differently, so it takes none) and the SiLUs and
// fake-quantizations right after it, as their nodes compute them (ApplyPostOp): how many.
int SiLUPostOps(const KernelContext& ctx, int first) {
  if (first >= ctx.num_post_ops() || ctx.post_op(first).kind != PostOp::Kind::kSiLU) return 0;
  int i = first;
  while (i < ctx.num_post_ops() &&
         (ctx.post_op(i).kind == PostOp::Kind::kSiLU || ctx.post_op(i).kind == PostOp::Kind::kQuantize))
    ++i;
  return i - first;
}

// Applies post-ops [from, end) of the context to y[begin, stop): those before `dnnl_end` as
// the oneDNN kernel the stand-in reproduces does (its clip), the rest as their nodes do.
void ApplyStandInPostOps(const KernelContext& ctx, int from, int dnnl_end, int end, Tensor* y, int64_t begin,
                         int64_t stop) {
  for (int i = from; i < end; ++i) {
    const PostOp& op = ctx.post_op(i);
    if (op.kind == PostOp::Kind::kClip && i < dnnl_end)
      ClipAsDnnl(op.lo, op.hi, y->data<float>() + begin, stop - begin);
    else
      ApplyPostOp(op, y, begin, stop);
  }
}

// The same for n floats at y, for post-ops without operands.
void ApplyStandInPostOps(const KernelContext& ctx, int from, int dnnl_end, int end, float* y, int64_t n) {
  for (int i = from; i < end; ++i) {
    const PostOp& op = ctx.post_op(i);
    if (op.kind == PostOp::Kind::kClip && i < dnnl_end) ClipAsDnnl(op.lo, op.hi, y, n);
    else ApplyPostOp(op, y, n);
  }
}

enum class Avx512Conv { kNone, k1x1, kGeneral, kDepthwise };

bool AllOnes(const std::vector<int64_t>& v) {
  return std::all_of(v.begin(), v.end(), [](int64_t e) { return e == 1; });
}
bool AllZeros(const std::vector<int64_t>& v) {
  return std::all_of(v.begin(), v.end(), [](int64_t e) { return e == 0; });
}

// The stand-ins' description of a 2-D convolution.
ConvShape ShapeOf(const ConvGeometry& g, bool plain) {
  return {g.n, g.c, g.m, g.in[0], g.in[1], g.out[0], g.out[1], g.k[0], g.k[1], g.s[0], g.s[1], g.pb[0], g.pb[1], plain};
}

// Which AVX-512 stand-in (conv_avx512_as_avx2.h, depthwise_avx512_as_avx2.h) runs for oneDNN's implementation `impl`
// on these layouts, if any.
Avx512Conv Avx512For(const ConvGeometry& g, const std::string& impl, Layout src, Layout dst) {
  if (!Avx512AsAvx2Available() || g.nsp != 2 || !AllOnes(g.d)) return Avx512Conv::kNone;
  const bool blocked = src == Layout::kNchw8c && dst == Layout::kNchw8c && g.c % 8 == 0 && g.m % 8 == 0;
  if (g.group != 1) {
    return impl == "jit_dw:avx2" && blocked && g.group == g.c && g.m == g.c &&
                   DepthwiseAsAvx2Supports(ShapeOf(g, false))
               ? Avx512Conv::kDepthwise
               : Avx512Conv::kNone;
  }
  const bool nhwc = src == Layout::kNhwc && dst == Layout::kNhwc && g.c % 8 == 0;
  if (impl == "jit_1x1:avx2" && (blocked || nhwc) && AllOnes(g.k) && AllOnes(g.s) && AllZeros(g.pb) &&
      AllZeros(g.pe))
    return Avx512Conv::k1x1;
  if (impl == "jit:avx2" && dst == Layout::kNchw8c && g.m % 8 == 0 &&
      (blocked || (src == Layout::kPlain && g.c < 8)))
    return Avx512Conv::kGeneral;
  return Avx512Conv::kNone;
}

// False when environment variable `var` is "0" (switches for comparisons).
bool SwitchedOn(const char* var) {
  const char* env = std::getenv(var);
  return !env || std::string(env) != "0";
}

// The geometry of the Conv that post-op `d` (kDepthwiseConv, kPointwiseConv) runs, on input
// shape `in`; false where its constants are not plain float32 or it does not resolve (its
// node then runs and reports it).
bool OfferedConv(const PostOp& d, const Shape& in, ConvGeometry* g) {
  const Tensor* w = d.operand;
  auto plain_f32 = [](const Tensor* t) { return t->dtype() == DType::kFloat32 && t->layout() == Layout::kPlain; };
  if (!w || !plain_f32(w) || (d.bias && !plain_f32(d.bias))) return false;
  ConvAttrs attrs;
  return attrs.Parse(d.conv->attrs, false).ok() && ResolveConv(attrs, in, w->shape(), g).ok() &&
         (!d.bias || (d.bias->rank() == 1 && d.bias->dim(0) == g->m));
}

}  // namespace

// On AVX-512 (the native kernel set, see litemp/kernel_set.h) oneDNN's channels-last brgemm
// kernels are the fastest; its AVX2 kernels are fastest channel-blocked.
bool ConvPrefersNhwc() { return KernelsUseAvx512(); }

// A primitive built for one input shape (and layout), with its bound memories.
struct ConvKernel::Prim {
  ConvGeometry g;
  bool use_ref = false;      // oneDNN rejected the configuration
  bool src_reorder = false;  // input converted by `to_src` into `src_buf` first
  dnnl::reorder to_src;      // (oneDNN's reorder is ~3x faster than ToNhwc here)
  memory user_src;
  Tensor src_buf;            // kept across runs: no fresh pages per run
  Layout out_layout = Layout::kPlain;
  int post_ops = 0;          // how many of the requested post-ops the primitive applies
  // Run-time operands of binary post-ops: an Add's addend, a fake-quantization's numbers.
  struct Operand {
    int post;                 // index into the post-ops
    memory mem;
    std::vector<float> fill;  // kQuantize: {scale, lo, hi}
  };
  std::vector<Operand> operands;
  dnnl::convolution_forward conv;
  memory::desc user_w_md;  // ONNX weight layout
  memory src, wei, bias, dst, scratch;
  bool wei_is_user = false;  // oneDNN reads the ONNX weights in place
  bool wei_ready = false;    // constant weights already bound/reordered
  bool has_bias = false;
  std::unordered_map<int, memory> args;
  std::string impl;
  // Where oneDNN picked an AVX2 kernel that conv_avx512_as_avx2.h or
  // depthwise_avx512_as_avx2.h reproduces on AVX-512, that runs instead (same bits), with
  // its own packed weights.
  Avx512Conv avx512 = Avx512Conv::kNone;
  bool packed_ready = false;  // constant weights and bias already packed
  Packed1x1 packed_1x1;
  PackedConv packed;
  ConvShape shape;
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
  std::vector<PostOp> post = UsablePostOps(ctx, 0, g.OutputShape());
  LITEMP_ASSIGN_OR_RETURN(Prim * p, CachedPrim(&cache_, g, x->layout(), w->shape(), b != nullptr, post));
  last_impl_ = p->use_ref ? "ref" : p->impl;
  if (p->use_ref) return RunConvRef(g, false, *x, *w, b, ctx.output(0));

  return DnnlTry("Conv execution", [&]() -> Status {
    DnnlEnv* env = GetDnnlEnv().value();
    const void* src = x->raw_data();
    if (p->src_reorder) {
      p->user_src.set_data_handle(const_cast<void*>(src));
      p->to_src.execute(env->stream, p->user_src, p->src);
      if (p->avx512 != Avx512Conv::kNone) env->stream.wait();
    }
    // A depthwise layer next (after the stand-in's own SiLUs)?
    const int at = p->post_ops + SiLUPostOps(ctx, p->post_ops);
    if ((p->avx512 == Avx512Conv::k1x1 || p->avx512 == Avx512Conv::kGeneral) && p->out_layout == Layout::kNchw8c &&
        p->post_ops == static_cast<int>(post.size()) && at < ctx.num_post_ops() &&
        ctx.post_op(at).kind == PostOp::Kind::kDepthwiseConv) {
      LITEMP_ASSIGN_OR_RETURN(bool fused,
                              RunWithDepthwise(p, w, b, p->src_reorder ? p->src_buf.raw_data() : src, at, ctx));
      if (fused) return Status::OK();
    }
    if (p->avx512 != Avx512Conv::kNone) {
      last_impl_ = p->impl + " on avx512";
      RunAvx512(p, w, b, p->src_reorder ? p->src_buf.raw_data() : src, ctx);
      return Status::OK();
    }
    if (!p->wei_ready) {
      if (p->wei_is_user) p->wei.set_data_handle(const_cast<void*>(w->raw_data()));
      else ReorderInto(env, p->user_w_md, w->raw_data(), p->wei);
      p->wei_ready = const_w_.defined();
    }
    if (b) p->bias.set_data_handle(const_cast<void*>(b->raw_data()));
    for (Prim::Operand& o : p->operands) {
      if (post[o.post].kind == PostOp::Kind::kAdd) o.mem.set_data_handle(const_cast<void*>(post[o.post].operand->raw_data()));
      else FillQuantOperands(post[o.post], &o.fill);
    }
    Tensor y(DType::kFloat32, g.OutputShape(), p->out_layout);
    if (!p->src_reorder) p->src.set_data_handle(const_cast<void*>(src));
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
    memory::dims wdims = ConvWeightDims(g);
    p->user_w_md = PlainDesc(wdims);
    memory::desc w_md(wdims, memory::data_type::f32, Tag::any);
    memory::desc b_md = p->has_bias ? memory::desc({g.m}, memory::data_type::f32, Tag::x) : memory::desc();
    auto make_pd = [&](const memory::desc& src_md, const memory::desc& dst_md, const std::vector<PostOp>& ops) {
      dnnl::convolution_forward::primitive_desc pd;
      try {
        dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                          src_md, w_md, b_md, dst_md, ToDims(g.s), ToDims(g.d, 1), ToDims(g.pb),
                                          ToDims(g.pe));
        pd = dnnl::convolution_forward::primitive_desc(d, PostOpAttr(ops, dst_dims),
                                                       env->engine, /*allow_empty=*/true);
      } catch (const dnnl::error&) {
        pd = {};  // an invalid/unsupported descriptor: same as no implementation
      }
      // oneDNN's reference kernels are ~1000x slower: another layout or no post-ops is better.
      if (pd && std::string(pd.impl_info_str()).find("ref") != std::string::npos) pd = {};
      return pd;
    };
    auto md = [](const memory::dims& d, Layout l) { return memory::desc(d, memory::data_type::f32, TagOf(l)); };
    dnnl::convolution_forward::primitive_desc pd;
    Layout src_layout = in_layout;
    if (g.nsp == 2) {
      // On AVX2 the first candidate that takes the longest post-op prefix wins (fusion
      // before layout); on AVX-512 the first layout wins, with its longest prefix (its
      // NHWC kernels are faster than anything fusion saves).
      // Post-ops are fused only into the kernel that would run without them: oneDNN may
      // pick another implementation for a fused configuration (on AVX-512, a residual Add
      // moves a 1x1 conv from brgemm to an older kernel), whose rounding differs, and
      // fusing must never change a bit of the result.
      auto cands = LayoutCandidates(in_layout, g.c, g.m);
      std::vector<std::string> plain_impl(cands.size());
      for (size_t i = 0; i < cands.size(); ++i) {
        auto base = make_pd(md(src_dims, cands[i].first), md(dst_dims, cands[i].second), {});
        if (base) plain_impl[i] = base.impl_info_str();
      }
      auto try_pick = [&](size_t i, int level) {
        const auto& [sl, dl] = cands[i];
        std::vector<size_t> prefixes = PostOpPrefixes(post, dl);
        if (plain_impl[i].empty() || level >= static_cast<int>(prefixes.size())) return false;
        std::vector<PostOp> ops(post.begin(), post.begin() + static_cast<std::ptrdiff_t>(prefixes[level]));
        pd = make_pd(md(src_dims, sl), md(dst_dims, dl), ops);
        if (pd && pd.impl_info_str() != plain_impl[i]) pd = {};
        if (!pd) return false;
        src_layout = sl;
        p->out_layout = dl;
        p->post_ops = static_cast<int>(ops.size());
        return true;
      };
      const bool layout_first = ConvPrefersNhwc();
      for (int outer = 0; outer < (layout_first ? static_cast<int>(cands.size()) : 4) && !pd; ++outer)
        for (int inner = 0; inner < (layout_first ? 4 : static_cast<int>(cands.size())); ++inner)
          if (layout_first ? try_pick(outer, inner) : try_pick(inner, outer)) break;
    } else {
      pd = make_pd(PlainDesc(src_dims), PlainDesc(dst_dims), post);
      if (pd) p->post_ops = static_cast<int>(post.size());
      else pd = make_pd(PlainDesc(src_dims), PlainDesc(dst_dims), {});
    }
    if (!pd) {
      p->use_ref = true;
      return Status::OK();
    }
    p->impl = pd.impl_info_str();
    p->avx512 = Avx512For(g, p->impl, src_layout, p->out_layout);
    p->shape.plain = src_layout == Layout::kPlain;
    p->src = UnboundMemory(env, pd.src_desc());
    if (src_layout != in_layout) {
      p->src_reorder = true;
      p->src_buf = Tensor(DType::kFloat32, Shape(src_dims.begin(), src_dims.end()), src_layout);
      p->src.set_data_handle(p->src_buf.raw_data());
      p->user_src = UnboundMemory(env, md(src_dims, in_layout));
      p->to_src = dnnl::reorder(p->user_src, p->src);
    }
    // The AVX-512 stand-in keeps its own packed weights: no oneDNN kernel, weights or
    // scratchpad for it.
    if (p->avx512 != Avx512Conv::kNone) return Status::OK();
    p->conv = dnnl::convolution_forward(pd);
    p->dst = UnboundMemory(env, pd.dst_desc());
    p->wei_is_user = pd.weights_desc() == p->user_w_md;
    p->wei = p->wei_is_user ? UnboundMemory(env, p->user_w_md) : memory(pd.weights_desc(), env->engine);
    p->args = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_WEIGHTS, p->wei}, {DNNL_ARG_DST, p->dst}};
    for (int i = 0, d = 0; i < p->post_ops; d += DnnlPostOpCount(post[i]), ++i) {
      if (post[i].kind == PostOp::Kind::kClip) continue;
      const int arg = DNNL_ARG_ATTR_MULTIPLE_POST_OP(d) | DNNL_ARG_SRC_1;
      const memory::desc md = pd.query_md(dnnl::query::exec_arg_md, arg);
      Prim::Operand o{i, UnboundMemory(env, md), {}};
      p->args[arg] = o.mem;
      if (post[i].kind == PostOp::Kind::kQuantize) {
        // One buffer holds {scale, lo, hi}; the division and the multiplication read the scale.
        o.fill.resize(3);
        o.mem.set_data_handle(o.fill.data());
        for (int j : {1, 2})
          p->args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(d + j) | DNNL_ARG_SRC_1] = memory(md, env->engine, o.fill.data() + j);
        p->args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(d + 4) | DNNL_ARG_SRC_1] = o.mem;
      }
      p->operands.push_back(std::move(o));
    }
    if (p->has_bias) {
      p->bias = UnboundMemory(env, pd.bias_desc());
      p->args[DNNL_ARG_BIAS] = p->bias;
    }
    BindScratchpad(env, pd, &p->scratch, &p->args);
    return Status::OK();
  });
}

Result<ConvKernel::Prim*> ConvKernel::CachedPrim(std::map<std::vector<int64_t>, std::unique_ptr<Prim>>* cache,
                                                 const ConvGeometry& g, Layout in_layout, const Shape& w_shape,
                                                 bool has_bias, const std::vector<PostOp>& post) {
  std::vector<int64_t> key = {g.n, g.c};
  key.insert(key.end(), g.in.begin(), g.in.end());
  key.push_back(static_cast<int64_t>(in_layout));
  key.insert(key.end(), w_shape.begin(), w_shape.end());
  key.push_back(has_bias);  // an optional runtime B may come and go
  AppendPostOpKey(post, &key);
  // Bounded: each recalibration may bring new fake-quantization grids.
  constexpr size_t kMaxPrims = 16;
  if (cache->size() >= kMaxPrims && !cache->count(key)) cache->clear();
  auto& slot = (*cache)[key];
  if (!slot) {
    auto p = std::make_unique<Prim>();
    p->g = g;
    p->has_bias = has_bias;
    LITEMP_RETURN_IF_ERROR(BuildPrim(in_layout, post, p.get()));
    slot = std::move(p);
  }
  return slot.get();
}

Result<bool> ConvKernel::RunWithDepthwise(Prim* p, const Tensor* w, const Tensor* b, const void* src, int at,
                                            KernelContext& ctx) {
  static const bool enabled = SwitchedOn("LITEMP_FUSE_DEPTHWISE");
  const PostOp& d = ctx.post_op(at);
  const Tensor* dw = d.operand;
  // The depthwise layer as its own node would run it: on this output (nChw8c).
  ConvGeometry dg;
  if (!enabled || !OfferedConv(d, p->g.OutputShape(), &dg)) return false;
  const std::vector<PostOp> post = UsablePostOps(ctx, at + 1, dg.OutputShape());
  // Only where the node would run the depthwise stand-in: then both run theirs, in one pass
  // (an error building its primitive: the node runs, and reports it).
  Result<Prim*> built = CachedPrim(&dw_cache_, dg, Layout::kNchw8c, dw->shape(), d.bias != nullptr, post);
  if (!built.ok()) return false;
  Prim* dp = built.value();
  if (dp->use_ref || dp->avx512 != Avx512Conv::kDepthwise || dp->src_reorder) return false;
  const ConvGeometry& g = p->g;
  PackAvx512(p, w, b);
  // Constants (kernel.h): packed once (Executor::SetConstant rebuilds this kernel).
  if (!dp->packed_ready) {
    dp->shape = ShapeOf(dg, false);
    PackDepthwise(dw->data<float>(), d.bias ? d.bias->data<float>() : nullptr, dp->shape, &dp->packed);
    dp->packed_ready = true;
  }
  // Each layer's leading clip in registers, its other post-ops on finished runs.
  auto leading_clip = [&](int first, int count, float* clip) -> const float* {
    if (count == 0 || ctx.post_op(first).kind != PostOp::Kind::kClip) return nullptr;
    clip[0] = ctx.post_op(first).lo;
    clip[1] = ctx.post_op(first).hi;
    return clip;
  };
  float e_clip[2], d_clip[2];
  const float* ec = leading_clip(0, p->post_ops, e_clip);
  const float* dc = leading_clip(at + 1, dp->post_ops, d_clip);
  // The first layer's rows, from its stand-in's functions, and its other post-ops there.
  const float* x = static_cast<const float*>(src);
  const int64_t ih = g.in[0], iw = g.in[1], ow = g.out[1], blocks = g.m / 8;
  const FirstLayerRows rows = [&](int64_t n, int64_t gr, int q, int64_t r0, int64_t r1, float* out, int64_t out_cb) {
    if (p->avx512 == Avx512Conv::k1x1) {
      Conv1x1GroupsAsAvx2(p->packed_1x1, x + n * g.c * ih * iw, ih * iw * 8, gr, q, r0 * iw, r1 * iw, out, out_cb, ec);
    } else {
      for (int64_t r = r0; r < r1; ++r)
        ConvRowAsAvx2(p->packed, p->shape, x + n * g.c * ih * iw, gr, q, r, out + (r - r0) * ow * 8, out_cb, ec);
    }
    for (int64_t blk = 0; blk < std::min<int64_t>(2 * q, blocks - 2 * gr); ++blk)
      ApplyStandInPostOps(ctx, ec ? 1 : 0, p->post_ops, at, out + blk * out_cb, (r1 - r0) * ow * 8);
  };
  const int64_t row_cost =
      g.c * (p->avx512 == Avx512Conv::k1x1 ? 1 : g.k[0] * g.k[1]) * ow * ((g.m + 15) / 16);
  const int dnnl_end = at + 1 + dp->post_ops, end = dnnl_end + SiLUPostOps(ctx, dnnl_end);
  if (end < ctx.num_post_ops() && ctx.post_op(end).kind == PostOp::Kind::kPointwiseConv) {
    LITEMP_ASSIGN_OR_RETURN(bool fused,
                            RunWithPointwise(rows, row_cost, g.m * g.c * g.k[0] * g.k[1], dp, dc, at, end, ctx));
    if (fused) {
      last_impl_ = p->impl + " + " + dp->impl + " + " + last_impl_ + " on avx512";
      return true;
    }
  }
  Tensor y(DType::kFloat32, dg.OutputShape(), Layout::kNchw8c);
  FinishedRange finished;
  if (end > at + 1 + (dc ? 1 : 0))
    finished = [&](int64_t begin, int64_t stop) {
      ApplyStandInPostOps(ctx, at + 1 + (dc ? 1 : 0), dnnl_end, end, &y, begin, stop);
    };
  ConvDepthwiseAsAvx2(rows, row_cost, dp->packed, dp->shape, y.data<float>(), dc, finished);
  last_impl_ = p->impl + " + " + dp->impl + " on avx512";
  *ctx.output(0) = std::move(y);
  ctx.set_post_ops_applied(end);
  return true;
}

Result<bool> ConvKernel::RunWithPointwise(const FirstLayerRows& rows, int64_t row_cost, int64_t first_weights,
                                          Prim* dp, const float* dc, int at, int end, KernelContext& ctx) {
  static const bool enabled = SwitchedOn("LITEMP_FUSE_POINTWISE");
  const PostOp& d = ctx.post_op(end);
  const Tensor* pw = d.operand;
  const ConvGeometry& dg = dp->g;
  ConvGeometry pg;
  if (!enabled || !OfferedConv(d, dg.OutputShape(), &pg)) return false;
  // The depthwise layer's post-ops go to the pass's buffer: none may read an operand.
  for (int i = at + 1; i < end; ++i)
    if (ctx.post_op(i).kind == PostOp::Kind::kAdd || ctx.post_op(i).kind == PostOp::Kind::kMul) return false;
  // Where the threads share a sample, each reads all of the first and the 1x1 layers'
  // weights (split by rows): worth it only where the depthwise layer's output outweighs
  // them, as in MobileNetV2's blocks down to 14x14, not its 7x7 ones.
  if (ConvDepthwiseSharesSamples(dg.n) && dg.m * dg.out[0] * dg.out[1] < first_weights + pg.m * pg.c) return false;
  const std::vector<PostOp> post = UsablePostOps(ctx, end + 1, pg.OutputShape());
  // Only where the node would run the 1x1 stand-in on the depthwise layer's output (an
  // error building its primitive: the node runs, and reports it).
  Result<Prim*> built = CachedPrim(&pw_cache_, pg, Layout::kNchw8c, pw->shape(), d.bias != nullptr, post);
  if (!built.ok()) return false;
  Prim* pp = built.value();
  if (pp->use_ref || pp->avx512 != Avx512Conv::k1x1 || pp->src_reorder || pp->out_layout != Layout::kNchw8c)
    return false;
  if (!pp->packed_ready) {  // constants, as the depthwise layer's
    Pack1x1(pw->data<float>(), d.bias ? d.bias->data<float>() : nullptr, pg.m, pg.c, &pp->packed_1x1);
    pp->packed_ready = true;
  }
  const int first = end + 1, dnnl_end = first + pp->post_ops, stop = dnnl_end + SiLUPostOps(ctx, dnnl_end);
  const bool clip_first = pp->post_ops > 0 && ctx.post_op(first).kind == PostOp::Kind::kClip;
  const float clip[2] = {clip_first ? ctx.post_op(first).lo : 0.f, clip_first ? ctx.post_op(first).hi : 0.f};
  const float* pc = clip_first ? clip : nullptr;
  Tensor y(DType::kFloat32, pg.OutputShape(), Layout::kNchw8c);
  const int64_t hw = pg.out[0] * pg.out[1], ow = pg.out[1], groups = (pg.m + 15) / 16, tiles = (groups + 3) / 4;
  DepthwiseThen then;
  then.row_cost = pg.c * ow * groups;
  // The depthwise layer's post-ops after its leading clip (operand-free, checked above).
  const int dw_from = at + 1 + (dc ? 1 : 0);
  if (end > dw_from)
    then.dw_post = [&](float* v, int64_t n) { ApplyStandInPostOps(ctx, dw_from, at + 1 + dp->post_ops, end, v, n); };
  then.rows = [&](int64_t n, int64_t r0, int64_t r1, const float* x, int64_t x_cb) {
    float* yn = y.data<float>() + n * pg.m * hw;
    for (int64_t t = 0; t < tiles; ++t) {  // tiles of at most four groups, even
      const int64_t g0 = EvenStart(groups, tiles, t), q = EvenStart(groups, tiles, t + 1) - g0;
      Conv1x1GroupsAsAvx2(pp->packed_1x1, x, x_cb, g0, static_cast<int>(q), 0, (r1 - r0) * ow,
                          yn + 2 * g0 * hw * 8 + r0 * ow * 8, hw * 8, pc);
    }
    if (stop > first + (pc ? 1 : 0))
      for (int64_t cb = 0; cb < pg.m / 8; ++cb) {
        const int64_t base = (n * (pg.m / 8) + cb) * hw * 8;
        ApplyStandInPostOps(ctx, first + (pc ? 1 : 0), dnnl_end, stop, &y, base + r0 * ow * 8, base + r1 * ow * 8);
      }
  };
  ConvDepthwiseAsAvx2(rows, row_cost, dp->packed, dp->shape, nullptr, dc, nullptr, &then);
  last_impl_ = pp->impl;
  *ctx.output(0) = std::move(y);
  ctx.set_post_ops_applied(stop);
  return true;
}

void ConvKernel::PackAvx512(Prim* p, const Tensor* w, const Tensor* b) {
  if (p->packed_ready) return;
  const ConvGeometry& g = p->g;
  const float* bias = b ? b->data<float>() : nullptr;
  if (p->avx512 == Avx512Conv::k1x1) {
    Pack1x1(w->data<float>(), bias, g.m, g.c, &p->packed_1x1);
  } else {
    p->shape = ShapeOf(g, p->shape.plain);  // plain: set with the primitive
    if (p->avx512 == Avx512Conv::kDepthwise) PackDepthwise(w->data<float>(), bias, p->shape, &p->packed);
    else PackConv(w->data<float>(), bias, p->shape, &p->packed);
  }
  p->packed_ready = const_w_.defined() && (!b || const_b_.defined());
}

void ConvKernel::RunAvx512(Prim* p, const Tensor* w, const Tensor* b, const void* src, KernelContext& ctx) {
  const ConvGeometry& g = p->g;
  PackAvx512(p, w, b);
  Tensor y(DType::kFloat32, g.OutputShape(), p->out_layout);
  // A leading clip is applied in registers; the rest to each finished range.
  const int post = p->post_ops, all = post + SiLUPostOps(ctx, post);
  const bool clip_first = post > 0 && ctx.post_op(0).kind == PostOp::Kind::kClip;
  const float clip[2] = {clip_first ? ctx.post_op(0).lo : 0.f, clip_first ? ctx.post_op(0).hi : 0.f};
  FinishedRange finished;
  if (all > (clip_first ? 1 : 0))
    finished = [&](int64_t begin, int64_t end) {
      ApplyStandInPostOps(ctx, clip_first ? 1 : 0, post, all, &y, begin, end);
    };
  const float* x = static_cast<const float*>(src);
  const float* c = clip_first ? clip : nullptr;
  if (p->avx512 == Avx512Conv::k1x1)
    Conv1x1AsAvx2(p->packed_1x1, g.n, g.in[0] * g.in[1], p->out_layout == Layout::kNhwc, x, y.data<float>(), c,
                  finished);
  else if (p->avx512 == Avx512Conv::kDepthwise)
    DepthwiseAsAvx2(p->packed, p->shape, x, y.data<float>(), c, finished);
  else
    ConvAsAvx2(p->packed, p->shape, x, y.data<float>(), c, finished);
  *ctx.output(0) = std::move(y);
  ctx.set_post_ops_applied(all);
}

}  // namespace litemp
