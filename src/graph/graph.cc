#include "litemp/graph.h"

#include <algorithm>
#include <queue>

namespace litemp {

const Attribute* Attributes::Find(const std::string& name) const {
  auto it = map_.find(name);
  return it == map_.end() ? nullptr : &it->second;
}

int64_t Attributes::GetInt(const std::string& name, int64_t def) const {
  const Attribute* a = Find(name);
  return a && a->type == Attribute::Type::kInt ? a->i : def;
}

float Attributes::GetFloat(const std::string& name, float def) const {
  const Attribute* a = Find(name);
  if (!a) return def;
  if (a->type == Attribute::Type::kFloat) return a->f;
  if (a->type == Attribute::Type::kInt) return static_cast<float>(a->i);
  return def;
}

std::string Attributes::GetString(const std::string& name, const std::string& def) const {
  const Attribute* a = Find(name);
  return a && a->type == Attribute::Type::kString ? a->s : def;
}

std::vector<int64_t> Attributes::GetInts(const std::string& name, std::vector<int64_t> def) const {
  const Attribute* a = Find(name);
  return a && a->type == Attribute::Type::kInts ? a->ints : def;
}

std::vector<float> Attributes::GetFloats(const std::string& name, std::vector<float> def) const {
  const Attribute* a = Find(name);
  return a && a->type == Attribute::Type::kFloats ? a->floats : def;
}

const Tensor* Attributes::GetTensor(const std::string& name) const {
  const Attribute* a = Find(name);
  return a && a->type == Attribute::Type::kTensor ? &a->t : nullptr;
}

int Graph::FindValue(const std::string& name) const {
  auto it = value_index_.find(name);
  return it == value_index_.end() ? -1 : it->second;
}

int Graph::FindNode(const std::string& name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

int Graph::AddValue(const std::string& name) {
  int id = static_cast<int>(values.size());
  values.push_back(Value{});
  values.back().name = name;
  value_index_[name] = id;
  return id;
}

const Tensor* Graph::Constant(int id) const {
  auto it = initializers.find(id);
  return it == initializers.end() ? nullptr : &it->second;
}

Status Graph::Finalize() {
  const int n = static_cast<int>(nodes.size());
  for (auto& v : values) {
    v.producer = -1;
    v.consumers.clear();
  }
  for (int i = 0; i < n; ++i) {
    for (int o : nodes[i].outputs) {
      if (o < 0) continue;
      if (values[o].producer >= 0)
        return Status::InvalidArgument("value '" + values[o].name + "' is produced by two nodes ('" +
                                       nodes[values[o].producer].name + "' and '" + nodes[i].name + "')");
      if (values[o].is_initializer || values[o].is_graph_input)
        return Status::InvalidArgument("node '" + nodes[i].name + "' (" + nodes[i].op_type +
                                       ") writes graph input or initializer '" + values[o].name + "'");
      values[o].producer = i;
    }
  }
  // Kahn's algorithm; ties broken by original order so a sorted model keeps its order.
  std::vector<int> indeg(n, 0);
  std::vector<std::vector<int>> succ(n);
  for (int i = 0; i < n; ++i) {
    for (int in : nodes[i].inputs) {
      if (in < 0) continue;
      const Value& v = values[in];
      if (v.producer < 0 && !v.is_initializer && !v.is_graph_input)
        return Status::InvalidArgument("node '" + nodes[i].name + "' (" + nodes[i].op_type + ") reads '" +
                                       v.name + "', which no node, input or initializer provides");
      if (v.producer >= 0) {
        succ[v.producer].push_back(i);
        ++indeg[i];
      }
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (indeg[i] == 0) ready.push(i);
  std::vector<int> order;
  order.reserve(n);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    order.push_back(i);
    for (int s : succ[i])
      if (--indeg[s] == 0) ready.push(s);
  }
  if (static_cast<int>(order.size()) != n) {
    for (int i = 0; i < n; ++i)
      if (indeg[i] > 0)
        return Status::InvalidArgument("graph has a cycle through node '" + nodes[i].name + "' (" +
                                       nodes[i].op_type + ")");
  }
  std::vector<Node> sorted;
  sorted.reserve(n);
  for (int i : order) sorted.push_back(std::move(nodes[i]));
  nodes = std::move(sorted);
  for (auto& v : values) v.producer = -1;
  for (int i = 0; i < n; ++i) {
    for (int o : nodes[i].outputs)
      if (o >= 0) values[o].producer = i;
    for (int in : nodes[i].inputs)
      if (in >= 0) values[in].consumers.push_back(i);
  }
  for (int o : outputs) {
    const Value& v = values[o];
    if (v.producer < 0 && !v.is_graph_input && !v.is_initializer)
      return Status::InvalidArgument("graph output '" + v.name + "' is not produced by any node");
  }
  return Status::OK();
}

std::vector<int> Graph::Downstream(const std::vector<int>& start) const {
  std::vector<char> mark(nodes.size(), 0);
  for (int s : start) mark[s] = 1;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!mark[i]) continue;
    for (int o : nodes[i].outputs)
      if (o >= 0)
        for (int c : values[o].consumers) mark[c] = 1;
  }
  std::vector<int> r;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (mark[i]) r.push_back(static_cast<int>(i));
  return r;
}

}  // namespace litemp
