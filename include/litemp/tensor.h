// Tensor: a typed, shaped, reference-counted buffer.
//
// Shapes are logical (ONNX order: NCHW for images). A rank-4 float tensor may be stored
// channels-last (Layout::kNhwc) or channel-blocked (Layout::kNchw8c) inside the runtime so
// that oneDNN convolutions and the element-wise ops between them avoid reorders; ToPlain()
// gives the row-major view every API caller sees. Copies of a Tensor share the buffer; Clone() deep-copies.
// Thread-compatible.
#ifndef LITEMP_TENSOR_H_
#define LITEMP_TENSOR_H_

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace litemp {

// Values match ONNX TensorProto.DataType so conversion is a cast.
enum class DType : int32_t {
  kUndefined = 0,
  kFloat32 = 1,
  kUInt8 = 2,
  kInt8 = 3,
  kUInt16 = 4,
  kInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kString = 8,
  kBool = 9,
  kFloat16 = 10,
  kFloat64 = 11,
  kUInt32 = 12,
  kUInt64 = 13,
};

// Bytes per element; 0 for kUndefined and kString (unsupported as data).
size_t DTypeSize(DType t);
// "float32", "int64", ...
const char* DTypeName(DType t);
bool IsFloat(DType t);  // float16/32/64

using Shape = std::vector<int64_t>;
int64_t NumElements(const Shape& s);
std::string ShapeToString(const Shape& s);  // "[1,3,224,224]"

// kNchw8c: rank 4 with C % 8 == 0 (never padded), stored [N][C/8][H][W][8] (oneDNN's
// nChw8c, which its AVX2 convolutions run fastest on). A permutation of the plain
// elements, like kNhwc, so per-tensor statistics do not depend on the layout.
enum class Layout : uint8_t { kPlain, kNhwc, kNchw8c };

// C++ type -> DType.
template <class T> constexpr DType DTypeOf();
template <> constexpr DType DTypeOf<float>() { return DType::kFloat32; }
template <> constexpr DType DTypeOf<double>() { return DType::kFloat64; }
template <> constexpr DType DTypeOf<uint8_t>() { return DType::kUInt8; }
template <> constexpr DType DTypeOf<int8_t>() { return DType::kInt8; }
template <> constexpr DType DTypeOf<uint16_t>() { return DType::kUInt16; }
template <> constexpr DType DTypeOf<int16_t>() { return DType::kInt16; }
template <> constexpr DType DTypeOf<int32_t>() { return DType::kInt32; }
template <> constexpr DType DTypeOf<int64_t>() { return DType::kInt64; }
template <> constexpr DType DTypeOf<uint32_t>() { return DType::kUInt32; }
template <> constexpr DType DTypeOf<uint64_t>() { return DType::kUInt64; }
template <> constexpr DType DTypeOf<bool>() { return DType::kBool; }

class Tensor {
 public:
  Tensor() = default;
  // Allocates numel * size bytes, 64-byte aligned, uninitialised.
  Tensor(DType dtype, Shape shape, Layout layout = Layout::kPlain);
  static Tensor Zeros(DType dtype, Shape shape);
  // A plain tensor over `data`, memory owned elsewhere and kept alive by `owner` (every copy
  // of the Tensor holds it). Used to read caller buffers (e.g. numpy arrays) without a copy;
  // litemp never writes to a buffer another Tensor shares, so the bytes stay as given.
  // REQUIRES: `data` holds NumElements(shape) elements of `dtype`, aligned to the element
  // size (no kernel relies on more; litemp's own buffers are 64-byte aligned for speed).
  static Tensor Wrap(DType dtype, Shape shape, void* data, std::shared_ptr<void> owner);
  // A rank-0 tensor holding `v`.
  template <class T> static Tensor Scalar(T v) {
    Tensor t(DTypeOf<T>(), {});
    *t.data<T>() = v;
    return t;
  }
  // A rank-1 tensor copied from `v`.
  template <class T> static Tensor FromVector(const std::vector<T>& v, Shape shape = {}) {
    if (shape.empty()) shape = {static_cast<int64_t>(v.size())};
    Tensor t(DTypeOf<T>(), shape);
    for (size_t i = 0; i < v.size(); ++i) t.data<T>()[i] = v[i];
    return t;
  }

  bool defined() const { return dtype_ != DType::kUndefined; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int i) const { return shape_[i < 0 ? i + rank() : i]; }
  int64_t numel() const { return numel_; }
  size_t nbytes() const { return static_cast<size_t>(numel_) * DTypeSize(dtype_); }
  Layout layout() const { return layout_; }

  // REQUIRES: DTypeOf<T>() == dtype() (checked by assert).
  template <class T> T* data();
  template <class T> const T* data() const;
  void* raw_data() { return ptr_; }
  const void* raw_data() const { return ptr_; }

  // A view with another shape of the same element count; shares the buffer.
  // REQUIRES: layout() == kPlain.
  Tensor Reshaped(Shape shape) const;
  // Deep copy (same layout).
  Tensor Clone() const;
  // True when no other Tensor shares this buffer, so it may be written in place.
  bool unique() const { return !borrowed_ && buf_.use_count() <= 1; }

  // Used by the runtime to tag a buffer whose bytes are in NHWC order.
  void set_layout(Layout l) { layout_ = l; }

 private:
  DType dtype_ = DType::kUndefined;
  Shape shape_;
  int64_t numel_ = 0;
  Layout layout_ = Layout::kPlain;
  bool borrowed_ = false;  // Wrap()ped: the bytes belong to the caller
  std::shared_ptr<void> buf_;
  void* ptr_ = nullptr;
};

// Keeps memory the process frees in its heap instead of handing it back to the kernel
// (glibc: no mmap() for large blocks, no trimming below 1 GiB free). Activations are large
// and short-lived; without this each run page-faults fresh mmap()s for every tensor over
// 32 MiB (MobileNetV2 at batch 32 with the AVX2 kernels from Python: 209-221 ms a batch,
// 0.1 s of it in the kernel, vs 143 ms). Process-wide: freed memory is reused by any later
// allocation but not returned to the system. The CLI and the Python module call it (Python:
// unless LITEMP_RETAIN_MEMORY=0); C++ programs may call it first thing in main().
void RetainFreedMemory();

// Row-major copy of an NHWC or blocked tensor; returns `t` itself when already plain.
Tensor ToPlain(const Tensor& t);
// NHWC copy of a rank-4 tensor; returns `t` itself when already NHWC.
Tensor ToNhwc(const Tensor& t);
// Blocked (kNchw8c) copy of a rank-4 tensor; returns `t` itself when already blocked.
// REQUIRES: dim(1) % 8 == 0.
Tensor ToNchw8c(const Tensor& t);

// Element size is checked rather than dtype so that fp16 data can be read as uint16_t.
template <class T> T* Tensor::data() {
  assert(sizeof(T) == DTypeSize(dtype_));
  return static_cast<T*>(ptr_);
}
template <class T> const T* Tensor::data() const {
  assert(sizeof(T) == DTypeSize(dtype_));
  return static_cast<const T*>(ptr_);
}

}  // namespace litemp

#endif  // LITEMP_TENSOR_H_
