#include "onnx/ms_schemas.h"

#include <onnx/defs/schema.h>
#include <onnx/defs/shape_inference.h>

#include <mutex>

namespace litemp {

namespace {

const char* kMsDomain = "com.microsoft";
const std::vector<std::string> kQuantTypes = {"tensor(int8)", "tensor(uint8)", "tensor(int16)", "tensor(uint16)",
                                              "tensor(int32)"};
const std::vector<std::string> kFloatTypes = {"tensor(float)", "tensor(float16)"};

// Q: y has x's shape and the zero point's type (uint8 without one); DQ: y has x's shape
// and the scale's type.
onnx::OpSchema QdqSchema(bool quantize) {
  onnx::OpSchema s;
  s.SetName(quantize ? "QuantizeLinear" : "DequantizeLinear").SetDomain(kMsDomain).SinceVersion(1);
  s.Attr("axis", "per-axis quantization axis", onnx::AttributeProto::INT, static_cast<int64_t>(1));
  if (quantize) {
    s.Input(0, "x", "", "F").Input(1, "y_scale", "", "F").Input(2, "y_zero_point", "", "Q", onnx::OpSchema::Optional);
    s.Output(0, "y", "", "Q");
  } else {
    s.Input(0, "x", "", "Q").Input(1, "x_scale", "", "F").Input(2, "x_zero_point", "", "Q", onnx::OpSchema::Optional);
    s.Output(0, "y", "", "F");
  }
  s.TypeConstraint("Q", kQuantTypes, "quantized type").TypeConstraint("F", kFloatTypes, "float type");
  s.TypeAndShapeInferenceFunction([quantize](onnx::InferenceContext& ctx) {
    if (quantize) {
      if (ctx.getNumInputs() > 2 && ctx.getInputType(2)) {
        onnx::propagateElemTypeFromInputToOutput(ctx, 2, 0);
      } else {
        onnx::updateOutputElemType(ctx, 0, onnx::TensorProto::UINT8);
      }
    } else {
      onnx::propagateElemTypeFromInputToOutput(ctx, 1, 0);
    }
    if (onnx::hasInputShape(ctx, 0)) onnx::propagateShapeFromInputToOutput(ctx, 0, 0);
  });
  return s;
}

}  // namespace

void RegisterMicrosoftQdqSchemas() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto& domains = onnx::OpSchemaRegistry::DomainToVersionRange::Instance();
    if (!domains.Map().count(kMsDomain)) domains.AddDomainToVersion(kMsDomain, 1, 1);
    try {
      for (bool q : {true, false}) {
        if (!onnx::OpSchemaRegistry::Schema(q ? "QuantizeLinear" : "DequantizeLinear", 1, kMsDomain))
          onnx::RegisterSchema(QdqSchema(q));
      }
    } catch (const std::exception&) {
      // Without the schemas shape inference stops at these nodes; the runtime still works.
    }
  });
}

}  // namespace litemp
