// Registers the element-wise kernel group (ONNX default domain; each kernel serves every
// opset version 6/7..21 of its ops).
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"

namespace litemp {

void RegisterElementwiseKernels(KernelRegistry* r) {
  for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow", "Mod"}) RegisterKernel<ArithmeticKernel>(r, op);
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) RegisterKernel<VariadicKernel>(r, op);
  for (const char* op : {"Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor"})
    RegisterKernel<CompareKernel>(r, op);
  RegisterKernel<NotKernel>(r, "Not");
  RegisterKernel<WhereKernel>(r, "Where");

  RegisterKernel<ReluKernel>(r, "Relu");
  for (const char* op : {"Abs", "Neg", "Sign", "Floor", "Ceil", "Round", "Exp", "Log", "Sqrt", "Reciprocal",
                         "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
                         "Tanh", "Erf", "Sigmoid", "Softplus", "Softsign", "HardSwish", "Mish"})
    RegisterKernel<UnaryMathKernel>(r, op);
  for (const char* op : {"LeakyRelu", "HardSigmoid", "Elu", "Selu", "Celu", "ThresholdedRelu", "Gelu", "Shrink"})
    RegisterKernel<ActivationKernel>(r, op);
  RegisterKernel<ClipKernel>(r, "Clip");
  RegisterKernel<PReluKernel>(r, "PRelu");
  RegisterKernel<ClassifyKernel>(r, "IsNaN");
  RegisterKernel<ClassifyKernel>(r, "IsInf");
  RegisterKernel<CastKernel>(r, "Cast");
  RegisterKernel<CastKernel>(r, "CastLike");
}

}  // namespace litemp
