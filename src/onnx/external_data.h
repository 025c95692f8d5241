// External data of ONNX initializers (TensorProto data_location EXTERNAL): where the bytes
// are, and tensors that view a memory mapping of the file instead of holding a copy.
//
// Each data file is mapped once, whole, and privately (MAP_PRIVATE, readable and writable):
// every tensor loaded from it views that one mapping and holds a reference to it, so the
// mapping lives until the last such tensor is gone, across models (a model loaded, prepared
// and reloaded maps its file once). Pages are read from the file when first touched and,
// being clean, can be dropped again under memory pressure, so weights larger than the
// machine's memory load and run. A write to a mapped tensor copies the page it touches and
// never reaches the file (litemp does not write to shared tensors; this is the safety net).
//
// As with any memory-mapped file, a data file must not be truncated or rewritten in place
// while tensors map it (reading a page past its new end raises SIGBUS); replacing it (a new
// file renamed over the old one) is safe: the mapping keeps the old file's pages.
// Thread-safe.
#ifndef LITEMP_ONNX_EXTERNAL_DATA_H_
#define LITEMP_ONNX_EXTERNAL_DATA_H_

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <string>

#include "litemp/status.h"
#include "litemp/tensor.h"

namespace litemp {

// Where one initializer's external bytes are.
struct ExternalDataRef {
  std::string path;    // `dir` joined with the tensor's "location"
  int64_t offset = 0;  // "offset", 0 when absent
  int64_t length = 0;  // "length", or the rest of the file when absent
};

// Reads the location, offset and length entries of `p` and checks them against the file:
// Corruption for a location that is empty, absolute or contains "..", or a range past the
// end of the file; IOError when the file cannot be opened. Messages name the initializer.
// REQUIRES: p.data_location() == EXTERNAL.
Result<ExternalDataRef> LocateExternalData(const onnx::TensorProto& p, const std::string& dir);

// The tensor `p` declares, with its data at `ref`: a view of the file's shared mapping, or,
// when the data's offset is not a multiple of its element size (kernels need aligned
// elements) or the file cannot be mapped, a copy read from the file. *mapped (if not null)
// tells which. Fails as TensorFromProto does on the type and dims, with Corruption when
// ref.length is not the tensor's size, and with IOError when a copy cannot be read.
Result<Tensor> ExternalTensor(const onnx::TensorProto& p, const ExternalDataRef& ref, bool* mapped = nullptr);

// Whether `p` points into a live mapping of an external-data file (the data of a tensor
// ExternalTensor mapped).
bool InExternalDataMapping(const void* p);

// Copies the external data of `p` into its raw_data and marks it as stored inline (what
// writing a model that stands alone needs). Fails as LocateExternalData does, or with
// IOError when the bytes cannot be read; `p` is unchanged then.
// REQUIRES: p->data_location() == EXTERNAL.
Status InlineExternalData(onnx::TensorProto* p, const std::string& dir);

}  // namespace litemp

#endif  // LITEMP_ONNX_EXTERNAL_DATA_H_
