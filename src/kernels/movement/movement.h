// Kernels of the data-movement group: ops that view, copy, reorder or select elements
// (plus their shape-producing companions Shape/Size/ConstantOfShape/Range). Each kernel
// serves every ONNX opset 7..21 of its op; the .cc files note where versions differ
// (attributes that became inputs). They move elements by byte size, so they accept any
// fixed-size dtype including bool, int64 and float16.
//
// Reshape, Flatten, Squeeze, Unsqueeze, Identity and Dropout are zero-copy: their output
// shares the input buffer. Resize/Upsample are declared in resize.h.
#ifndef LITEMP_KERNELS_MOVEMENT_MOVEMENT_H_
#define LITEMP_KERNELS_MOVEMENT_MOVEMENT_H_

#include <cstdint>
#include <vector>

#include "kernels/kernel.h"

namespace litemp::movement {

class ReshapeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool allowzero_ = false;
};

class FlattenKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 1;
};

// Squeeze and Unsqueeze: axes are an attribute before opset 13, an input from 13.
class SqueezeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  bool has_attr_axes_ = false;
  std::vector<int64_t> attr_axes_;
};

class UnsqueezeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  std::vector<int64_t> attr_axes_;
};

// Passes its input through, in whatever layout it has.
class IdentityKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

// Inference-only Dropout: output = input, optional mask all true.
class DropoutKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  float attr_ratio_ = 0.5f;
};

// Concat keeps NHWC when every input is NHWC (channel concats between convolutions).
class ConcatKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 0;
};

class SplitKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  int64_t axis_ = 0;
  std::vector<int64_t> attr_split_;
  int64_t num_outputs_ = 0;  // opset 18 attribute; 0 when absent
};

class SliceKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  std::vector<int64_t> attr_starts_, attr_ends_, attr_axes_;  // opset < 10
};

class GatherKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 0;
};

class GatherElementsKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t axis_ = 0;
};

// Transpose of an NHWC input reads its storage directly (NCHW->NHWC becomes a view).
class TransposeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  std::vector<int64_t> perm_;  // empty: reverse the dims
};

class ExpandKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  Status Run(KernelContext& ctx) override;
};

class TileKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  Status Run(KernelContext& ctx) override;
};

class PadKernel final : public Kernel {
 public:
  enum class Mode { kConstant, kReflect, kEdge, kWrap };
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  Mode mode_ = Mode::kConstant;
  std::vector<int64_t> attr_pads_;  // opset < 11
  float attr_value_ = 0;            // opset < 11
};

// Shape and Size read only the logical shape, so any layout is fine.
class ShapeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;

 private:
  int64_t start_ = 0, end_ = 0;
  bool has_end_ = false;
};

class SizeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  bool AcceptsNhwc() const override { return true; }
  Status Run(KernelContext& ctx) override;
};

class ConstantOfShapeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  Tensor value_;  // one element
};

class RangeKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  Status Run(KernelContext& ctx) override;
};

// DepthToSpace (modes DCR and CRD) and SpaceToDepth on rank-4 NCHW tensors.
class DepthToSpaceKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t blocksize_ = 0;
  bool crd_ = false;
};

class SpaceToDepthKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int64_t blocksize_ = 0;
};

class NonZeroKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init) { return Status::OK(); }
  Status Run(KernelContext& ctx) override;
};

class TriluKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  bool upper_ = true;
};

class OneHotKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  int64_t axis_ = -1;
};

class TopKKernel final : public Kernel {
 public:
  Status Init(const KernelInit& init);
  Status Run(KernelContext& ctx) override;

 private:
  int opset_ = 0;
  int64_t axis_ = -1;
  bool largest_ = true;
  int64_t attr_k_ = -1;  // opset < 10
};

}  // namespace litemp::movement

#endif  // LITEMP_KERNELS_MOVEMENT_MOVEMENT_H_
