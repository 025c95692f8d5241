// Operator schemas for ONNX Runtime's com.microsoft QuantizeLinear/DequantizeLinear, which
// Debian's libonnx does not know. With them, ONNX shape inference passes through the 16-bit
// Q/DQ of litemp's QDQ exports, so a re-loaded export has static shapes (and FLOPs).
#ifndef LITEMP_ONNX_MS_SCHEMAS_H_
#define LITEMP_ONNX_MS_SCHEMAS_H_

namespace litemp {

// Registers the schemas once per process; later calls do nothing. Thread-safe.
void RegisterMicrosoftQdqSchemas();

}  // namespace litemp

#endif  // LITEMP_ONNX_MS_SCHEMAS_H_
