#include "quant/config.h"

#include <gtest/gtest.h>

namespace litemp {
namespace {

TEST(QuantsimConfig, BuiltinsParse) {
  for (const char* name : {"default", "default_per_tensor", "htp_v75"}) {
    auto c = LoadQuantsimConfig(name);
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().ToString();
  }
  auto d = LoadQuantsimConfig("default");
  EXPECT_TRUE(d->per_channel);
  EXPECT_TRUE(d->ops_output_quantized);
  EXPECT_TRUE(d->params_symmetric);
  EXPECT_FALSE(d->ops_symmetric);
  EXPECT_FALSE(*d->params.at("bias").is_quantized);
  EXPECT_EQ(d->supergroups.size(), 5u);
  EXPECT_TRUE(*d->model_input_quantized);
  EXPECT_FALSE(LoadQuantsimConfig("default_per_tensor")->per_channel);
  auto htp = LoadQuantsimConfig("htp_v75");
  EXPECT_EQ(htp->op_type.at("Softmax").encoding_constraints->second, 1.f);
  EXPECT_EQ(htp->op_type.at("Tanh").encoding_constraints->first, -1.f);
}

TEST(QuantsimConfig, ErrorsNameTheKey) {
  auto bad_key = ParseQuantsimConfig(R"({"defaults": {"ops": {"is_output_quantised": "True"}}})", "t");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("defaults.ops.is_output_quantised"), std::string::npos)
      << bad_key.status().message();
  auto bad_bool = ParseQuantsimConfig(R"({"defaults": {}, "op_type": {"Conv": {"is_input_quantized": "yes"}}})", "t");
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_NE(bad_bool.status().message().find("op_type.Conv.is_input_quantized"), std::string::npos);
  auto bad_sg = ParseQuantsimConfig(R"({"defaults": {}, "supergroups": [{"op_list": ["Conv"]}]})", "t");
  ASSERT_FALSE(bad_sg.ok());
  EXPECT_NE(bad_sg.status().message().find("supergroups[0].op_list"), std::string::npos);
  EXPECT_FALSE(ParseQuantsimConfig("{not json", "t").ok());
  EXPECT_FALSE(ParseQuantsimConfig(R"({"op_type": {}})", "t").ok());  // defaults missing
  auto range = ParseQuantsimConfig(R"({"defaults": {}, "op_type": {"Sigmoid": {"encoding_constraints": {"min": 1, "max": 0}}}})", "t");
  EXPECT_FALSE(range.ok());
}

TEST(QuantsimConfig, MissingFileIsAnError) {
  auto c = LoadQuantsimConfig("/nonexistent/config.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("/nonexistent/config.json"), std::string::npos);
}

}  // namespace
}  // namespace litemp
