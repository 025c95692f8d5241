#include "litemp/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

#include <malloc.h>
#include <sys/mman.h>

#include "core/parallel.h"

namespace litemp {

namespace {

// Buffers of at least this size start on a 2 MiB boundary and ask for transparent huge
// pages over their whole 2 MiB pages: on VMs where first touching a 4 KiB page costs ~10 us,
// a batch of activations faults in up to 512 times fewer pages. The tail past the last
// whole huge page stays in 4 KiB pages, so resident memory does not grow. Smaller buffers
// keep 64-byte alignment.
constexpr size_t kHugePage = size_t{2} << 20;

void* AllocateBuffer(size_t bytes) {
  if (bytes > std::numeric_limits<size_t>::max() - kHugePage) throw std::bad_alloc();
  if (bytes >= kHugePage) {
    void* p = nullptr;
    if (posix_memalign(&p, kHugePage, bytes) != 0) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
    madvise(p, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);  // advice only: if refused, 4 KiB pages
#endif
    return p;
  }
  // Round up to the alignment; never allocate 0 bytes so data() is non-null.
  size_t alloc = (bytes + 63) / 64 * 64;
  if (alloc == 0) alloc = 64;
  void* p = std::aligned_alloc(64, alloc);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

void RetainFreedMemory() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

size_t DTypeSize(DType t) {
  switch (t) {
    case DType::kFloat32: case DType::kInt32: case DType::kUInt32: return 4;
    case DType::kUInt8: case DType::kInt8: case DType::kBool: return 1;
    case DType::kUInt16: case DType::kInt16: case DType::kFloat16: return 2;
    case DType::kInt64: case DType::kFloat64: case DType::kUInt64: return 8;
    default: return 0;
  }
}

const char* DTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kUInt8: return "uint8";
    case DType::kInt8: return "int8";
    case DType::kUInt16: return "uint16";
    case DType::kInt16: return "int16";
    case DType::kInt32: return "int32";
    case DType::kInt64: return "int64";
    case DType::kString: return "string";
    case DType::kBool: return "bool";
    case DType::kFloat16: return "float16";
    case DType::kFloat64: return "float64";
    case DType::kUInt32: return "uint32";
    case DType::kUInt64: return "uint64";
    default: return "undefined";
  }
}

bool IsFloat(DType t) {
  return t == DType::kFloat32 || t == DType::kFloat16 || t == DType::kFloat64;
}

int64_t NumElements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

std::string ShapeToString(const Shape& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ",";
    r += std::to_string(s[i]);
  }
  return r + "]";
}

Tensor::Tensor(DType dtype, Shape shape, Layout layout)
    : dtype_(dtype), shape_(std::move(shape)), layout_(layout) {
  numel_ = NumElements(shape_);
  void* p = AllocateBuffer(nbytes());
  buf_ = std::shared_ptr<void>(p, [](void* q) { std::free(q); });
  ptr_ = p;
}

Tensor Tensor::Wrap(DType dtype, Shape shape, void* data, std::shared_ptr<void> owner) {
  assert(DTypeSize(dtype) == 0 || reinterpret_cast<uintptr_t>(data) % DTypeSize(dtype) == 0);
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.numel_ = NumElements(t.shape_);
  t.buf_ = std::move(owner);
  t.ptr_ = data;
  t.borrowed_ = true;
  return t;
}

Tensor Tensor::Zeros(DType dtype, Shape shape) {
  Tensor t(dtype, std::move(shape));
  std::memset(t.raw_data(), 0, t.nbytes());
  return t;
}

Tensor Tensor::Reshaped(Shape shape) const {
  assert(layout_ == Layout::kPlain);
  assert(NumElements(shape) == numel_);
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::Clone() const {
  Tensor t(dtype_, shape_, layout_);
  if (nbytes()) std::memcpy(t.raw_data(), raw_data(), nbytes());
  return t;
}

namespace {
// Copies a [N, A, B] block array to [N, B, A] for element size E.
template <class E>
void Transpose3(const E* src, E* dst, int64_t n, int64_t a, int64_t b) {
  // Square tiles keep both the reads and the strided writes within a few cache lines.
  constexpr int64_t kTile = 32;
  const int64_t ta = (a + kTile - 1) / kTile, tb = (b + kTile - 1) / kTile;
  ParallelFor(
      n * ta * tb,
      [&](int64_t begin, int64_t end) {
        for (int64_t t = begin; t < end; ++t) {
          int64_t ni = t / (ta * tb), ai0 = (t / tb) % ta * kTile, bj0 = t % tb * kTile;
          int64_t ai1 = std::min(a, ai0 + kTile), bj1 = std::min(b, bj0 + kTile);
          const E* s = src + ni * a * b;
          E* d = dst + ni * a * b;
          for (int64_t i = ai0; i < ai1; ++i)
            for (int64_t j = bj0; j < bj1; ++j) d[j * a + i] = s[i * b + j];
        }
      },
      kTile * kTile);
}

// Copies [N, A, B] blocks to [N, B, A] for any element size.
void Transpose(const Tensor& t, Tensor* r, int64_t n, int64_t a, int64_t b) {
  switch (DTypeSize(t.dtype())) {
    case 1: Transpose3(t.data<uint8_t>(), r->data<uint8_t>(), n, a, b); break;
    case 2: Transpose3(t.data<uint16_t>(), r->data<uint16_t>(), n, a, b); break;
    case 4: Transpose3(t.data<uint32_t>(), r->data<uint32_t>(), n, a, b); break;
    default: Transpose3(t.data<uint64_t>(), r->data<uint64_t>(), n, a, b); break;
  }
}

// Between plain and `to` (kNhwc or kNchw8c), or from either of those to plain.
Tensor Relayout(const Tensor& t, Layout to) {
  const auto& s = t.shape();
  Tensor r(t.dtype(), s, to);
  int64_t n = s[0], c = s[1], hw = s[2] * s[3];
  Layout from = t.layout();
  if (to == Layout::kNhwc) Transpose(t, &r, n, c, hw);             // [N,C,HW] -> [N,HW,C]
  else if (from == Layout::kNhwc) Transpose(t, &r, n, hw, c);      // and back
  else if (to == Layout::kNchw8c) Transpose(t, &r, n * c / 8, 8, hw);  // [NC/8,8,HW] -> [NC/8,HW,8]
  else Transpose(t, &r, n * c / 8, hw, 8);                         // and back
  return r;
}
}  // namespace

Tensor ToPlain(const Tensor& t) {
  if (t.layout() == Layout::kPlain) return t;
  return Relayout(t, Layout::kPlain);
}

Tensor ToNhwc(const Tensor& t) {
  if (t.layout() == Layout::kNhwc) return t;
  assert(t.rank() == 4);
  return Relayout(ToPlain(t), Layout::kNhwc);
}

Tensor ToNchw8c(const Tensor& t) {
  if (t.layout() == Layout::kNchw8c) return t;
  assert(t.rank() == 4 && t.dim(1) % 8 == 0);
  return Relayout(ToPlain(t), Layout::kNchw8c);
}

}  // namespace litemp
