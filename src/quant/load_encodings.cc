// AIMET load_encodings_to_sim: a parsed encodings file into a QuantSim (ParseEncodings is in
// encodings_reader.cc).
#include "litemp/load_encodings.h"

#include <unordered_map>

#include "litemp/fileio.h"

namespace litemp {

namespace {
// Rank of the tensor a quantizer sits on, when it is a constant (else -1).
int ConstantRank(const Graph& g, const Quantizer& q) {
  return g.values[q.value_id].is_initializer ? g.Constant(q.value_id)->rank() : -1;
}

// Whether `e` fits quantizer `q`; an error naming the entry when not.
Status Fits(const Graph& g, const Quantizer& q, const FileEncoding& e, const std::string& source) {
  if (e.fp16 || e.scale.size() == 1) return Status::OK();
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument(source + ": " + e.key + " ('" + e.name + "'): " + what);
  };
  const int rank = ConstantRank(g, q);
  if (rank < 1) return bad("per-channel encodings need a constant tensor of rank >= 1");
  if (e.axis && (*e.axis < 0 ? *e.axis + rank : *e.axis) != q.axis)
    return bad("axis " + std::to_string(*e.axis) + " is not the channel axis " + std::to_string(q.axis));
  const int64_t channels = g.Constant(q.value_id)->dim(q.axis);
  if (static_cast<int64_t>(e.scale.size()) != channels)
    return bad(std::to_string(e.scale.size()) + " channels, but the tensor has " + std::to_string(channels));
  return Status::OK();
}

bool SectionMatches(FileEncoding::Section s, QuantizerRole r) {
  if (s == FileEncoding::kAny) return true;
  return (s == FileEncoding::kParam) == (r == QuantizerRole::kParam);
}
}  // namespace

Status LoadEncodingsToSim(QuantSim& sim, const EncodingsFile& file, const std::string& source) {
  const Graph& g = sim.graph();
  std::vector<Quantizer>& qs = sim.quantizers();
  std::unordered_map<std::string, std::vector<int>> by_name;
  for (size_t i = 0; i < qs.size(); ++i) by_name[g.values[qs[i].value_id].name].push_back(static_cast<int>(i));
  // Check everything first so a bad file leaves the simulation as it was.
  std::vector<std::pair<int, const FileEncoding*>> plan;
  for (const FileEncoding& e : file.entries) {
    size_t before = plan.size();
    if (auto it = by_name.find(e.name); it != by_name.end())
      for (int qi : it->second)
        if (SectionMatches(e.section, qs[qi].role)) {
          LITEMP_RETURN_IF_ERROR(Fits(g, qs[qi], e, source));
          plan.emplace_back(qi, &e);
        }
    if (plan.size() == before)
      return Status::InvalidArgument(source + ": " + e.key + ": the simulation has no " +
                                     (e.section == FileEncoding::kParam ? "parameter " : "") + "quantizer on tensor '" +
                                     e.name + "'");
  }
  for (auto& q : qs) {
    q.enabled = false;
    q.frozen = false;
  }
  for (const auto& [qi, e] : plan) {
    Quantizer& q = qs[qi];
    q.enabled = true;
    q.frozen = true;
    q.analyzer.reset();
    q.encodings.clear();
    q.dtype = e->fp16 ? QuantDType::kFloat16 : QuantDType::kInt;
    q.spec.bitwidth = e->fp16 ? 16 : e->bitwidth;
    if (e->fp16) continue;
    q.spec.symmetric = e->symmetric;
    if (file.strict_symmetric) q.spec.strict_symmetric = *file.strict_symmetric;
    q.per_channel = e->scale.size() > 1;
    q.channels = static_cast<int>(e->scale.size());
    for (size_t c = 0; c < e->scale.size(); ++c) q.encodings.push_back(MakeEncoding(e->scale[c], e->offset[c], q.spec));
  }
  return Status::OK();
}

Status LoadEncodingsFile(QuantSim& sim, const std::string& path) {
  LITEMP_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  LITEMP_ASSIGN_OR_RETURN(EncodingsFile f, ParseEncodings(text, path));
  return LoadEncodingsToSim(sim, f, path);
}

}  // namespace litemp
