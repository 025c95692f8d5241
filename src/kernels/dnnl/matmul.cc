// MatMul on a cached oneDNN matmul primitive per (A shape, B shape), with RunMatMulRef
// for float64 and for shapes oneDNN declines.
#include <unordered_map>

#include "kernels/dnnl/dnnl_engine.h"
#include "kernels/dnnl/gemm.h"
#include "kernels/util.h"

namespace litemp {

namespace {
using dnnl::memory;
}  // namespace

struct MatMulKernel::Prim {
  bool use_ref = false;
  Shape out_shape;
  dnnl::matmul mm;
  memory::desc user_b_md;
  memory src, wei, dst, scratch;
  bool wei_is_user = false, wei_ready = false;
  std::unordered_map<int, memory> args;
  std::string impl;
};

MatMulKernel::MatMulKernel() = default;
MatMulKernel::~MatMulKernel() = default;

Status MatMulKernel::Init(const KernelInit& init) {
  if (!init.has_input(0) || !init.has_input(1))
    return Status::InvalidArgument("MatMul needs inputs A and B, got " + std::to_string(init.num_inputs()));
  if (const Tensor* b = init.constant_input(1)) const_b_ = ToPlain(*b);
  return Status::OK();
}

Status MatMulKernel::BuildPrim(const Shape& a, const Shape& b, bool const_b, Prim* p) {
  LITEMP_ASSIGN_OR_RETURN(DnnlEnv* env, GetDnnlEnv());
  Shape a2 = a.size() == 1 ? Shape{1, a[0]} : a;
  Shape b2 = b.size() == 1 ? Shape{b[0], 1} : b;
  const int64_t k = a2.back(), n = b2.back();
  memory::dims sd, wd, dd;
  if (b2.size() == 2) {
    // A shared 2-D B: fold A's batch dims into M for one large GEMM.
    int64_t rows = NumElements(a2) / k;
    sd = {rows, k};
    wd = {k, n};
    dd = {rows, n};
  } else {
    size_t r = std::max(a2.size(), b2.size());
    a2.insert(a2.begin(), r - a2.size(), 1);
    b2.insert(b2.begin(), r - b2.size(), 1);
    sd = ToDims(a2);
    wd = ToDims(b2);
    dd = sd;
    for (size_t i = 0; i + 2 < r; ++i) dd[i] = std::max(a2[i], b2[i]);
    dd[r - 1] = n;
  }
  return DnnlTry("MatMul primitive creation", [&]() -> Status {
    p->user_b_md = PlainDesc(wd);
    dnnl::matmul::primitive_desc pd;
    try {
      memory::desc w_md = const_b ? memory::desc(wd, memory::data_type::f32, memory::format_tag::any) : p->user_b_md;
      dnnl::primitive_attr attr;
      UseCallerScratchpad(&attr);
      pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(PlainDesc(sd), w_md, PlainDesc(dd)), attr, env->engine);
    } catch (const dnnl::error&) {
      p->use_ref = true;  // e.g. a broadcast pattern this oneDNN version does not handle
      return Status::OK();
    }
    p->impl = pd.impl_info_str();
    p->mm = dnnl::matmul(pd);
    p->src = UnboundMemory(env, pd.src_desc());
    p->dst = UnboundMemory(env, pd.dst_desc());
    p->wei_is_user = pd.weights_desc() == p->user_b_md;
    p->wei = p->wei_is_user ? UnboundMemory(env, p->user_b_md) : memory(pd.weights_desc(), env->engine);
    p->args = {{DNNL_ARG_SRC, p->src}, {DNNL_ARG_WEIGHTS, p->wei}, {DNNL_ARG_DST, p->dst}};
    BindScratchpad(env, pd, &p->scratch, &p->args);
    return Status::OK();
  });
}

Status MatMulKernel::Run(KernelContext& ctx) {
  const Tensor* a = ctx.input(0);
  const Tensor* b = const_b_.defined() ? &const_b_ : ctx.input(1);
  if (!a || !b) return Status::InvalidArgument("MatMul needs inputs A and B");
  LITEMP_ASSIGN_OR_RETURN(Shape out_shape, MatMulShape(a->shape(), b->shape()));
  if (a->dtype() != DType::kFloat32 || b->dtype() != DType::kFloat32 || NumElements(out_shape) == 0 ||
      a->numel() == 0) {
    last_impl_ = "ref";
    return RunMatMulRef(*a, *b, ctx.output(0));
  }
  std::vector<int64_t> key = a->shape();
  key.push_back(-1);
  key.insert(key.end(), b->shape().begin(), b->shape().end());
  auto& slot = cache_[key];
  if (!slot) {
    auto p = std::make_unique<Prim>();
    LITEMP_RETURN_IF_ERROR(BuildPrim(a->shape(), b->shape(), const_b_.defined(), p.get()));
    slot = std::move(p);
  }
  Prim* p = slot.get();
  last_impl_ = p->use_ref ? "ref" : p->impl;
  if (p->use_ref) return RunMatMulRef(*a, *b, ctx.output(0));

  return DnnlTry("MatMul execution", [&]() -> Status {
    DnnlEnv* env = GetDnnlEnv().value();
    Tensor ap = ToPlain(*a), bp = ToPlain(*b);
    if (!p->wei_ready) {
      if (p->wei_is_user) p->wei.set_data_handle(const_cast<void*>(bp.raw_data()));
      else ReorderInto(env, p->user_b_md, bp.raw_data(), p->wei);
      p->wei_ready = const_b_.defined();
    }
    Tensor y(DType::kFloat32, out_shape);
    p->src.set_data_handle(const_cast<void*>(ap.raw_data()));
    p->dst.set_data_handle(y.raw_data());
    p->mm.execute(env->stream, p->args);
    env->stream.wait();
    *ctx.output(0) = std::move(y);
    return Status::OK();
  });
}

}  // namespace litemp
