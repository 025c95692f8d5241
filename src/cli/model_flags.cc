#include "cli/model_flags.h"

namespace litemp::cli {

void ModelFlags::Add(CLI::App* cmd) {
  cmd->add_option("--shape", shapes, "NAME:D0,D1,... fixes an input's dims (N keeps one); repeatable")
      ->allow_extra_args(false)  // one value per --shape: the model after it is not a second one
      ->take_all();
  cmd->add_flag("--no-prepare", no_prepare, "quantize the model as given: no BatchNormalization/constant folding");
}

Status ModelFlags::ToOptions(PrepareOptions* o) const {
  *o = PrepareOptions{};
  o->fold_bn = o->fold_constants = o->drop_identity = !no_prepare;
  for (const auto& text : shapes) {
    LITEMP_ASSIGN_OR_RETURN(InputShape s, ParseInputShape(text));
    o->shapes.push_back(std::move(s));
  }
  return Status::OK();
}

}  // namespace litemp::cli
