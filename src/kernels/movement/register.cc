#include "kernels/kernel.h"
#include "kernels/movement/movement.h"
#include "kernels/movement/resize.h"

namespace litemp {

void RegisterMovementKernels(KernelRegistry* r) {
  using namespace movement;  // NOLINT(build/namespaces): kernel class names only
  RegisterKernel<ConcatKernel>(r, "Concat");
  RegisterKernel<ConstantOfShapeKernel>(r, "ConstantOfShape");
  RegisterKernel<DepthToSpaceKernel>(r, "DepthToSpace");
  RegisterKernel<DropoutKernel>(r, "Dropout");
  RegisterKernel<ExpandKernel>(r, "Expand");
  RegisterKernel<FlattenKernel>(r, "Flatten");
  RegisterKernel<GatherKernel>(r, "Gather");
  RegisterKernel<GatherElementsKernel>(r, "GatherElements");
  RegisterKernel<IdentityKernel>(r, "Identity");
  RegisterKernel<NonZeroKernel>(r, "NonZero");
  RegisterKernel<OneHotKernel>(r, "OneHot");
  RegisterKernel<PadKernel>(r, "Pad");
  RegisterKernel<RangeKernel>(r, "Range");
  RegisterKernel<ReshapeKernel>(r, "Reshape");
  RegisterKernel<ResizeKernel>(r, "Resize");
  RegisterKernel<ShapeKernel>(r, "Shape");
  RegisterKernel<SizeKernel>(r, "Size");
  RegisterKernel<SliceKernel>(r, "Slice");
  RegisterKernel<SpaceToDepthKernel>(r, "SpaceToDepth");
  RegisterKernel<SplitKernel>(r, "Split");
  RegisterKernel<SqueezeKernel>(r, "Squeeze");
  RegisterKernel<TileKernel>(r, "Tile");
  RegisterKernel<TopKKernel>(r, "TopK");
  RegisterKernel<TransposeKernel>(r, "Transpose");
  RegisterKernel<TriluKernel>(r, "Trilu");
  RegisterKernel<UnsqueezeKernel>(r, "Unsqueeze");
  RegisterKernel<UpsampleKernel>(r, "Upsample");
}

}  // namespace litemp
