#include "kernels/reduce/reduce_plan.h"

namespace litemp::reduce {

ReducePlan MakeReducePlan(const Shape& in, const std::vector<int64_t>& axes, bool keepdims,
                          bool noop) {
  const int rank = static_cast<int>(in.size());
  std::vector<char> red(rank, 0);
  if (axes.empty()) {
    if (!noop) std::fill(red.begin(), red.end(), 1);
  } else {
    for (int64_t a : axes) red[a] = 1;
  }
  ReducePlan p;
  for (int i = 0; i < rank; ++i) {
    if (red[i]) {
      p.count *= in[i];
      if (keepdims) p.out_shape.push_back(1);
    } else {
      p.out_shape.push_back(in[i]);
    }
    if (in[i] == 1) continue;  // a unit dim is neither kept nor reduced in effect
    if (!p.size.empty() && p.reduced.back() == red[i]) {
      p.size.back() *= in[i];
    } else {
      p.size.push_back(in[i]);
      p.reduced.push_back(red[i]);
    }
  }
  p.out_numel = NumElements(p.out_shape);
  const int nb = static_cast<int>(p.size.size());
  p.xstride.assign(nb, 1);
  p.ostride.assign(nb, 0);
  int64_t xs = 1, os = 1;
  for (int j = nb - 1; j >= 0; --j) {
    p.xstride[j] = xs;
    xs *= p.size[j];
    if (!p.reduced[j]) {
      p.ostride[j] = os;
      os *= p.size[j];
    }
  }
  return p;
}

}  // namespace litemp::reduce
