// GroupNormalization. Opset 18 specified scale/bias per group ([num_groups]); opset 21
// changed them to per channel ([C]). Both forms are accepted, told apart by their size.
#include "kernels/nn/norm.h"

namespace litemp::nn {

Status GroupNormKernel::Init(const KernelInit& init) {
  epsilon_ = init.attrs().GetFloat("epsilon", 1e-5f);
  groups_ = init.attrs().GetInt("num_groups", 0);
  LITEMP_CHECK(groups_ >= 1,
               "num_groups " + std::to_string(groups_) + " must be a positive integer");
  LITEMP_CHECK(init.num_inputs() == 3,
               "expected inputs X, scale, bias; got " + std::to_string(init.num_inputs()));
  return Status::OK();
}

Status GroupNormKernel::Run(KernelContext& ctx) {
  const Tensor& x = *ctx.input(0);
  if (x.rank() < 2)
    return Status::InvalidArgument("X shape " + ShapeToString(x.shape()) + " has rank " +
                                   std::to_string(x.rank()) +
                                   ", expected at least 2 ([N, C, ...])");
  if (!ctx.input(1) || !ctx.input(2))
    return Status::InvalidArgument("scale or bias input is missing");
  const int64_t c = x.dim(1);
  if (c % groups_ != 0)
    return Status::InvalidArgument("num_groups " + std::to_string(groups_) +
                                   " does not divide C=" + std::to_string(c));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> scale, ToDoubleVector(*ctx.input(1), "scale"));
  LITEMP_ASSIGN_OR_RETURN(std::vector<double> bias, ToDoubleVector(*ctx.input(2), "bias"));
  if (scale.size() != bias.size())
    return Status::InvalidArgument("scale has " + std::to_string(scale.size()) +
                                   " values but bias has " + std::to_string(bias.size()));
  const int64_t n = static_cast<int64_t>(scale.size());
  if (n != c) {
    if (n != groups_)
      return Status::InvalidArgument(
          "scale has " + std::to_string(n) + " values, expected C=" + std::to_string(c) +
          " (or num_groups=" + std::to_string(groups_) + " before opset 21)");
    // Per-group parameters: repeat each for the group's channels.
    std::vector<double> s(c), b(c);
    for (int64_t ch = 0; ch < c; ++ch) {
      s[ch] = scale[ch / (c / groups_)];
      b[ch] = bias[ch / (c / groups_)];
    }
    scale.swap(s);
    bias.swap(b);
  }
  return GroupNormalize(x, groups_, scale, bias, epsilon_, ctx.output(0));
}

}  // namespace litemp::nn
