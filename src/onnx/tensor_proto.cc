// TensorProto <-> Tensor conversion.
#include <onnx/onnx_pb.h>

#include <cstring>

#include "litemp/fileio.h"
#include "litemp/model.h"

namespace litemp {

namespace {
template <class Dst, class Field>
void CopyField(const Field& f, Tensor* t) {
  Dst* d = t->data<Dst>();
  for (int i = 0; i < f.size(); ++i) d[i] = static_cast<Dst>(f.Get(i));
}
}  // namespace

Result<Tensor> TensorFromProto(const onnx::TensorProto& p) {
  DType dt = static_cast<DType>(p.data_type());
  if (DTypeSize(dt) == 0)
    return Status::NotSupported("tensor '" + p.name() + "' has unsupported data type " +
                                std::to_string(p.data_type()));
  Shape shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0) return Status::Corruption("tensor '" + p.name() + "' has a negative dimension");
  if (p.data_location() == onnx::TensorProto::EXTERNAL)
    return Status::Internal("tensor '" + p.name() + "' external data was not resolved");
  int64_t n = NumElements(shape);
  if (n > (int64_t{1} << 34)) return Status::Corruption("tensor '" + p.name() + "' is implausibly large");
  Tensor t(dt, shape);
  const size_t bytes = t.nbytes();
  if (p.has_raw_data()) {
    if (p.raw_data().size() != bytes)
      return Status::Corruption("tensor '" + p.name() + "' holds " + std::to_string(p.raw_data().size()) +
                                " bytes, expected " + std::to_string(bytes) + " for shape " + ShapeToString(shape));
    if (bytes) std::memcpy(t.raw_data(), p.raw_data().data(), bytes);
    return t;
  }
  int64_t have = 0;
  switch (dt) {
    case DType::kFloat32: have = p.float_data_size(); break;
    case DType::kFloat64: have = p.double_data_size(); break;
    case DType::kInt64: have = p.int64_data_size(); break;
    case DType::kUInt32: case DType::kUInt64: have = p.uint64_data_size(); break;
    default: have = p.int32_data_size(); break;
  }
  if (have != n)
    return Status::Corruption("tensor '" + p.name() + "' holds " + std::to_string(have) + " values, expected " +
                              std::to_string(n) + " for shape " + ShapeToString(shape));
  switch (dt) {
    case DType::kFloat32: CopyField<float>(p.float_data(), &t); break;
    case DType::kFloat64: CopyField<double>(p.double_data(), &t); break;
    case DType::kInt64: CopyField<int64_t>(p.int64_data(), &t); break;
    case DType::kUInt32: CopyField<uint32_t>(p.uint64_data(), &t); break;
    case DType::kUInt64: CopyField<uint64_t>(p.uint64_data(), &t); break;
    case DType::kInt32: CopyField<int32_t>(p.int32_data(), &t); break;
    case DType::kInt16: CopyField<int16_t>(p.int32_data(), &t); break;
    case DType::kUInt16: case DType::kFloat16: CopyField<uint16_t>(p.int32_data(), &t); break;
    case DType::kInt8: CopyField<int8_t>(p.int32_data(), &t); break;
    case DType::kUInt8: CopyField<uint8_t>(p.int32_data(), &t); break;
    case DType::kBool: CopyField<bool>(p.int32_data(), &t); break;
    default: return Status::NotSupported("tensor '" + p.name() + "' data type");
  }
  return t;
}

void TensorToProto(const Tensor& t, onnx::TensorProto* p) {
  Tensor plain = ToPlain(t);
  p->clear_dims();
  for (int64_t d : plain.shape()) p->add_dims(d);
  p->set_data_type(static_cast<int32_t>(plain.dtype()));
  p->set_raw_data(plain.raw_data(), plain.nbytes());
}

Result<Tensor> ReadTensorFile(const std::string& path) {
  LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  onnx::TensorProto p;
  if (!p.ParseFromString(bytes)) return Status::Corruption("'" + path + "' is not a serialized TensorProto");
  auto r = TensorFromProto(p);
  if (!r.ok()) return r.status().WithContext(path);
  return r;
}

}  // namespace litemp
