// TensorProto <-> Tensor conversion.
#include <onnx/onnx_pb.h>

#include <cstring>

#include "litemp/fileio.h"
#include "litemp/model.h"
#include "onnx/external_data.h"
#include "onnx/tensor_proto.h"

namespace litemp {

namespace {
template <class Dst, class Field>
void CopyField(const Field& f, Tensor* t) {
  Dst* d = t->data<Dst>();
  for (int i = 0; i < f.size(); ++i) d[i] = static_cast<Dst>(f.Get(i));
}
}  // namespace

Status ProtoTypeAndShape(const onnx::TensorProto& p, DType* dtype, Shape* shape) {
  const DType dt = static_cast<DType>(p.data_type());
  if (DTypeSize(dt) == 0)
    return Status::NotSupported("tensor '" + p.name() + "' has unsupported data type " +
                                std::to_string(p.data_type()));
  Shape s(p.dims().begin(), p.dims().end());
  for (int64_t d : s)
    if (d < 0) return Status::Corruption("tensor '" + p.name() + "' has a negative dimension");
  if (NumElements(s) > (int64_t{1} << 34)) return Status::Corruption("tensor '" + p.name() + "' is implausibly large");
  *dtype = dt;
  *shape = std::move(s);
  return Status::OK();
}

Status CheckDataBytes(const onnx::TensorProto& p, int64_t have, DType dtype, const Shape& shape) {
  const int64_t bytes = NumElements(shape) * static_cast<int64_t>(DTypeSize(dtype));
  if (have == bytes) return Status::OK();
  return Status::Corruption("tensor '" + p.name() + "' holds " + std::to_string(have) + " bytes, expected " +
                            std::to_string(bytes) + " for shape " + ShapeToString(shape));
}

Result<Tensor> TensorFromProto(const onnx::TensorProto& p) {
  DType dt;
  Shape shape;
  LITEMP_RETURN_IF_ERROR(ProtoTypeAndShape(p, &dt, &shape));
  if (p.data_location() == onnx::TensorProto::EXTERNAL)
    return Status::Internal("tensor '" + p.name() + "' external data was not resolved");
  const int64_t n = NumElements(shape);
  if (p.has_raw_data()) {
    LITEMP_RETURN_IF_ERROR(CheckDataBytes(p, static_cast<int64_t>(p.raw_data().size()), dt, shape));
    Tensor t(dt, shape);
    if (t.nbytes()) std::memcpy(t.raw_data(), p.raw_data().data(), t.nbytes());
    return t;
  }
  Tensor t(dt, shape);
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

Result<Tensor> TensorFromProto(const onnx::TensorProto& p, const std::string& external_dir) {
  if (p.data_location() != onnx::TensorProto::EXTERNAL) return TensorFromProto(p);
  LITEMP_ASSIGN_OR_RETURN(ExternalDataRef ref, LocateExternalData(p, external_dir));
  return ExternalTensor(p, ref);
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
