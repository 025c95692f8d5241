// Conv and ConvTranspose on oneDNN, with the naive reference as fallback.
//
// Conv (1-3 spatial dims, groups incl. depthwise, dilations, strides, pads, auto_pad,
// optional bias): float32 runs on oneDNN. Rank-4 activations run channel-blocked
// (Layout::kNchw8c, oneDNN's AVX2 kernels) when the channel counts allow it, else
// channels-last (kNhwc): the first layout pair oneDNN has a JIT kernel for (see
// LayoutCandidates), since its reference kernels are ~1000x slower. When oneDNN runs
// AVX-512 (the native kernel set on such a CPU, litemp/kernel_set.h) channels-last comes
// first. Other ranks use plain ncw/ncdhw. float64, and configurations oneDNN rejects, use
// ConvRef.
//
// One primitive is built per distinct input shape, layout and post-op list and cached;
// constant weights are reordered into the primitive's weights layout once. Post-ops offered
// by the executor (Relu/Clip as oneDNN eltwise, a residual Add as a binary post-op, a
// fake-quantization as five post-ops with run-time operands) are fused on the oneDNN path
// when oneDNN runs the same kernel with them as without (so results are identical to
// unfused runs); the reference path applies none. Where oneDNN picks its AVX2 1x1, general
// or depthwise kernel on an AVX-512 CPU (the portable kernel set), an AVX-512 kernel of
// ours with its order of operations runs instead: the same bits (conv_avx512_as_avx2.h,
// depthwise_avx512_as_avx2.h), with the same post-ops, and then SiLUs (which oneDNN's
// kernels do not take: its swish rounds differently) as their nodes compute them; and where
// the executor offers the depthwise Conv after a 1x1 or general one
// (PostOp::kDepthwiseConv) and both would run their stand-ins, the two run in one pass
// (conv_depthwise_avx512_as_avx2.h), with the 1x1 Conv after them too where it is offered
// (PostOp::kPointwiseConv), would run its stand-in, and the pass pays (RunWithPointwise).
#ifndef LITEMP_KERNELS_DNNL_CONV_H_
#define LITEMP_KERNELS_DNNL_CONV_H_

#include <map>
#include <memory>
#include <vector>

#include "kernels/dnnl/conv_depthwise_avx512_as_avx2.h"
#include "kernels/dnnl/pads.h"
#include "kernels/kernel.h"

namespace litemp {

// True when 2-D convolutions put channels-last first: oneDNN runs AVX-512 (native kernels).
bool ConvPrefersNhwc();

class ConvKernel final : public Kernel {
 public:
  ConvKernel();
  ~ConvKernel() override;
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  bool AcceptsBlocked() const override { return true; }
  bool TakesPostOps() const override { return true; }
  Status Run(KernelContext& ctx) override;

  // Implementation name oneDNN chose for the most recently run shape ("jit:avx2",
  // "ref" when the naive fallback ran); for tests and benchmarks.
  const std::string& last_impl() const { return last_impl_; }

 private:
  struct Prim;
  // The primitive for geometry g on input layout `in_layout` with post-ops `post`, from
  // `cache` or built (and cached).
  static Result<Prim*> CachedPrim(std::map<std::vector<int64_t>, std::unique_ptr<Prim>>* cache,
                                  const ConvGeometry& g, Layout in_layout, const Shape& w_shape, bool has_bias,
                                  const std::vector<PostOp>& post);
  // Builds the oneDNN primitive for p->g; sets p->use_ref when oneDNN declines.
  static Status BuildPrim(Layout in_layout, const std::vector<PostOp>& post, Prim* p);
  // Runs p's AVX-512 stand-in for its oneDNN kernel on `src` (in the primitive's layout).
  void RunAvx512(Prim* p, const Tensor* w, const Tensor* b, const void* src, KernelContext& ctx);
  // Packs p's weights for its stand-in (once for constant ones).
  void PackAvx512(Prim* p, const Tensor* w, const Tensor* b);
  // Runs p's 1x1 or general stand-in and the depthwise Conv of post-op `at`
  // (PostOp::kDepthwiseConv) in one pass, with that layer's post-ops (and the 1x1 Conv
  // after them, RunWithPointwise), where that node would run the depthwise stand-in on p's
  // output; false (nothing run) where it would not.
  Result<bool> RunWithDepthwise(Prim* p, const Tensor* w, const Tensor* b, const void* src, int at,
                                  KernelContext& ctx);
  // Within RunWithDepthwise: the pass with the 1x1 Conv of post-op `end`
  // (PostOp::kPointwiseConv) after the depthwise layer `dp` (post-op `at`, its leading clip
  // `dc`), where that node would run the 1x1 stand-in and the pass pays; false (nothing
  // run) where not. `rows`, `row_cost`: the first layer's; `first_weights`: its weight count.
  Result<bool> RunWithPointwise(const FirstLayerRows& rows, int64_t row_cost, int64_t first_weights, Prim* dp,
                                const float* dc, int at, int end, KernelContext& ctx);

  ConvAttrs attrs_;
  Tensor const_w_, const_b_;  // defined when W / B are initializers
  std::map<std::vector<int64_t>, std::unique_ptr<Prim>> cache_;
  std::map<std::vector<int64_t>, std::unique_ptr<Prim>> dw_cache_;  // depthwise layers run in one pass
  std::map<std::vector<int64_t>, std::unique_ptr<Prim>> pw_cache_;  // and the 1x1 layers after them
  std::string last_impl_;
};

class ConvTransposeKernel final : public Kernel {
 public:
  ConvTransposeKernel();
  ~ConvTransposeKernel() override;
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;
  const std::string& last_impl() const { return last_impl_; }

 private:
  struct Prim;
  static Status BuildPrim(Prim* p);

  ConvAttrs attrs_;
  Tensor const_w_, const_b_;
  std::map<std::vector<int64_t>, std::unique_ptr<Prim>> cache_;
  std::string last_impl_;
};

}  // namespace litemp

#endif  // LITEMP_KERNELS_DNNL_CONV_H_
