// PrepareModelProto and LoadPreparedModel: the passes of src/prepare in order.
#include "litemp/prepare.h"

#include <onnx/onnx_pb.h>

#include <cassert>
#include <filesystem>

#include "litemp/fileio.h"
#include "prepare/passes.h"
#include "prepare/proto_index.h"

namespace litemp {

namespace {

Result<std::unique_ptr<Model>> LoadProto(const onnx::ModelProto& m, const std::string& dir) {
  std::string bytes;
  if (!m.SerializeToString(&bytes)) return Status::Internal("cannot serialize the prepared model (over 2 GiB?)");
  return Model::FromBytes(bytes, dir);
}

// Nodes as litemp counts them: Constant nodes are initializers to it.
int CountNodes(const onnx::GraphProto& g) {
  int n = 0;
  for (const auto& node : g.node()) n += prepare::IsOp(node, "Constant") ? 0 : 1;
  return n;
}

}  // namespace

Status PrepareModelProto(onnx::ModelProto* model, const std::string& dir, const PrepareOptions& options,
                         PrepareReport* report) {
  assert(model && report);
  *report = PrepareReport();
  // Shapes go in before the load, whose shape inference then propagates them.
  LITEMP_RETURN_IF_ERROR(prepare::ApplyInputShapes(options.shapes, model->mutable_graph(), report));
  LITEMP_ASSIGN_OR_RETURN(std::unique_ptr<Model> loaded, LoadProto(*model, dir));
  // The loaded proto holds the inferred value types, and small external data inline; large
  // external data stays in its files (still relative to `dir`), so no pass copies it unless
  // it rewrites it.
  *model = loaded->proto();
  const Graph& graph = loaded->graph();
  onnx::GraphProto* g = model->mutable_graph();
  report->nodes_before = static_cast<int>(graph.nodes.size());
  prepare::NameNodes(graph, g);
  if (options.fold_constants) prepare::FoldConstants(graph, g, report);
  if (options.drop_identity) prepare::DropIdentities(g, report);
  if (options.fold_bn) {
    // Folded constants (a Reshape's target, say) let shape inference find the ranks that
    // MatMul folding needs where it could not before.
    std::unique_ptr<Model> reloaded;
    if (report->folded_constants > 0) {
      LITEMP_ASSIGN_OR_RETURN(reloaded, LoadProto(*model, dir));
    }
    prepare::FoldBatchNorms(reloaded ? reloaded->graph() : graph, prepare::DefaultOpset(*model), dir, g, report);
  }
  report->removed_initializers = prepare::RemoveUnusedInitializers(g);
  if (report->removed_initializers > 0)
    report->actions.push_back("removed " + std::to_string(report->removed_initializers) + " unused initializer" +
                              (report->removed_initializers > 1 ? "s" : ""));
  prepare::PruneValueInfo(g);
  report->nodes_after = CountNodes(*g);
  return Status::OK();
}

Result<std::unique_ptr<Model>> LoadPreparedModelFromBytes(const std::string& bytes, const std::string& dir,
                                                          const PrepareOptions& options, PrepareReport* report) {
  PrepareReport unused;
  onnx::ModelProto proto;
  if (bytes.empty() || !proto.ParseFromString(bytes)) {
    // The loader says what is wrong with bytes that are not a model.
    auto r = Model::FromBytes(bytes, dir);
    return r.ok() ? Status::Corruption("not an ONNX model") : r.status();
  }
  LITEMP_RETURN_IF_ERROR(PrepareModelProto(&proto, dir, options, report ? report : &unused));
  return LoadProto(proto, dir);
}

Result<std::unique_ptr<Model>> LoadPreparedModel(const std::string& path, const PrepareOptions& options,
                                                 PrepareReport* report) {
  if (std::filesystem::is_directory(path)) return Status::IOError("'" + path + "' is a directory, not an ONNX model");
  LITEMP_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  const auto parent = std::filesystem::path(path).parent_path().string();
  auto loaded = LoadPreparedModelFromBytes(bytes, parent.empty() ? "." : parent, options, report);
  if (!loaded.ok()) return loaded.status().WithContext("'" + path + "'");
  return loaded;
}

}  // namespace litemp
