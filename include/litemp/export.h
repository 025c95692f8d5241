// Exporters for a calibrated QuantSim:
//  - AIMET encodings JSON, versions 1.0.0 (default), 0.6.1 and 2.0.0 (docs/formats/encodings.md);
//  - a QDQ ONNX model: every enabled integer quantizer becomes QuantizeLinear +
//    DequantizeLinear (weights stored quantized, followed by DequantizeLinear), every fp16
//    quantizer becomes Cast(float16) + Cast(float), so the fp16 decision survives. 8-bit
//    Q/DQ use the default domain (opset raised to 13 if lower); 16-bit ones use ONNX
//    Runtime's com.microsoft Q/DQ unless the model already imports opset 21, because
//    raising a model's default opset to 21 would change the meaning of its other ops.
// All files are written atomically, and every model stands alone: weights the source model
// keeps in external-data files (memory-mapped while litemp runs) are written inline, read
// into memory for the write (so an exported model must fit protobuf's 2 GiB limit).
#ifndef LITEMP_EXPORT_H_
#define LITEMP_EXPORT_H_

#include <string>

#include "litemp/quantsim.h"

namespace litemp {

// OK when EncodingsJson can write `version`; InvalidArgument listing the versions otherwise.
Status CheckEncodingsVersion(const std::string& version);

// Encodings JSON text in `version` ("1.0.0", "0.6.1" or "2.0.0").
Result<std::string> EncodingsJson(const QuantSim& sim, const std::string& version);

// Writes the QDQ model to `path`.
Status ExportQdqModel(const QuantSim& sim, const Model& model, const std::string& path);

// Writes <dir>/<prefix>.encodings, <dir>/<prefix>.onnx (the FP32 model) and
// <dir>/<prefix>_qdq.onnx. `version` selects the encodings format.
Status ExportSim(const QuantSim& sim, const Model& model, const std::string& dir, const std::string& prefix,
                 const std::string& version = "1.0.0");

}  // namespace litemp

#endif  // LITEMP_EXPORT_H_
