// Identity and inference-mode Dropout: the output is the input tensor itself.
//
// Dropout: ratio is an attribute before opset 12; from 12 ratio and training_mode are
// optional inputs. The optional mask is bool from opset 10 and the input's type before.
// Training mode with a nonzero ratio would need random numbers, so it is NotSupported.
#include <cstring>

#include "kernels/movement/common.h"
#include "kernels/movement/copy.h"
#include "kernels/movement/movement.h"

namespace litemp::movement {

Status IdentityKernel::Run(KernelContext& ctx) {
  if (!ctx.input(0)) return Status::InvalidArgument("missing input");
  *ctx.output(0) = *ctx.input(0);
  return Status::OK();
}

Status DropoutKernel::Init(const KernelInit& init) {
  opset_ = init.opset();
  if (opset_ < 12) attr_ratio_ = init.attrs().GetFloat("ratio", 0.5f);
  return Status::OK();
}

Status DropoutKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  double ratio = attr_ratio_;
  bool training = false;
  if (opset_ >= 12) {
    ratio = 0.5;
    if (ctx.input(1) && ctx.input(1)->numel() > 0) {
      LITEMP_ASSIGN_OR_RETURN(auto r, ReadDoubles(*ctx.input(1), "ratio"));
      ratio = r[0];
    }
    if (ctx.input(2) && ctx.input(2)->numel() > 0) {
      LITEMP_ASSIGN_OR_RETURN(auto t, ReadDoubles(*ctx.input(2), "training_mode"));
      training = t[0] != 0;
    }
  }
  if (training && ratio != 0)
    return Status::NotSupported("training_mode=true with ratio " + std::to_string(ratio) +
                                " needs random dropout; only inference is supported");
  *ctx.output(0) = x;
  if (ctx.num_outputs() > 1 && ctx.output_wanted(1)) {
    const DType mask_type = opset_ >= 10 ? DType::kBool : x.dtype();
    Tensor mask(mask_type, x.shape());
    uint64_t one = 0;
    LITEMP_RETURN_IF_ERROR(StoreScalar(mask_type, 1.0, &one));
    FillRaw(mask.raw_data(), mask.numel(), &one, DTypeSize(mask_type));
    *ctx.output(1) = std::move(mask);
  }
  return Status::OK();
}

}  // namespace litemp::movement
