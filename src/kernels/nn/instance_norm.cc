// InstanceNormalization (opsets 1..22): GroupNormalization with one group per channel.
#include "kernels/nn/norm.h"

namespace litemp::nn {

Status InstanceNormKernel::Init(const KernelInit& init) {
  epsilon_ = init.attrs().GetFloat("epsilon", 1e-5f);
  LITEMP_CHECK(init.num_inputs() == 3,
               "expected inputs input, scale, B; got " + std::to_string(init.num_inputs()));
  return Status::OK();
}

Status InstanceNormKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() < 3)
    return Status::InvalidArgument("input shape " + ShapeToString(x.shape()) + " has rank " +
                                   std::to_string(x.rank()) +
                                   ", expected at least 3 ([N, C, D1, ...])");
  if (!ctx.input(1) || !ctx.input(2)) return Status::InvalidArgument("scale or B input is missing");
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> scale, ToDoubleVector(*ctx.input(1), "scale"));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> bias, ToDoubleVector(*ctx.input(2), "B"));
  const int64_t c = x.dim(1);
  if (static_cast<int64_t>(scale.size()) != c || static_cast<int64_t>(bias.size()) != c)
    return Status::InvalidArgument("scale/B have " + std::to_string(scale.size()) + "/" +
                                   std::to_string(bias.size()) +
                                   " values, expected C=" + std::to_string(c));
  return GroupNormalize(x, c, scale, bias, epsilon_, ctx.output(0));
}

}  // namespace litemp::nn
