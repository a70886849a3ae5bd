#include "sim/core/graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "sim/core/checked_math.h"
#include "sim/core/error.h"
#include "sim/core/registry.h"
#include "sim/core/time_limits.h"

namespace streamsim {

namespace {
// Edges carry the channel's index into Graph's channel list (not the spec itself): edge
// descriptors of an adjacency_list point into its storage, so indices keep a Graph safely
// copyable and movable, and keep channel order = insertion order.
struct ChannelRef {
  int index = -1;  // initialised: adjacency_list default-constructs properties when it copies
};
using BoostGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, UnitNode, ChannelRef>;
}  // namespace

struct Graph::Storage {
  BoostGraph g;
  // Unit name -> index, so adding a unit and resolving "unit.port" take constant time (a
  // linear search here made loading a chain of n units O(n^2)).
  std::unordered_map<std::string, int> index_of;
};

Graph::Graph() : storage_(std::make_unique<Storage>()) {}
Graph::~Graph() = default;
Graph::Graph(const Graph& other)
    : storage_(std::make_unique<Storage>(*other.storage_)), channels_(other.channels_) {}
Graph& Graph::operator=(const Graph& other) {
  if (this != &other) {
    storage_ = std::make_unique<Storage>(*other.storage_);
    channels_ = other.channels_;
  }
  return *this;
}
// A moved-from Graph is left empty (not without storage), so it stays usable.
Graph::Graph(Graph&& other)
    : storage_(std::exchange(other.storage_, std::make_unique<Storage>())),
      channels_(std::move(other.channels_)) {}
Graph& Graph::operator=(Graph&& other) {
  if (this != &other) {
    storage_ = std::exchange(other.storage_, std::make_unique<Storage>());
    channels_ = std::move(other.channels_);
    other.channels_.clear();
  }
  return *this;
}

int Graph::unit_count() const {
  return static_cast<int>(boost::num_vertices(storage_->g));
}
const UnitNode& Graph::unit(int i) const {
  return storage_->g[static_cast<std::size_t>(i)];
}

int Graph::add_node(UnitNode node) {
  if (find_unit(node.name) >= 0)
    throw Error(node.loc, "duplicate unit name '" + node.name + "'; unit names must be unique");
  std::unique_ptr<Unit> prototype = node.make();
  node.inputs = prototype->inputs();
  node.outputs = prototype->outputs();
  const std::string name = node.name;
  const int index = static_cast<int>(boost::add_vertex(std::move(node), storage_->g));
  storage_->index_of.emplace(name, index);
  return index;
}

int Graph::add_unit(const std::string& name, const std::string& type, const Params& params,
                    const SourceLoc& loc) {
  const UnitTypeInfo& info = UnitRegistry::instance().get(type, loc);
  Params complete = info.schema.complete(params, "unit '" + name + "' (type " + type + ")");
  return add_validated_unit(name, type, complete, loc);
}

int Graph::add_validated_unit(const std::string& name, const std::string& type,
                              const Params& params, const SourceLoc& loc) {
  const UnitTypeInfo& info = UnitRegistry::instance().get(type, loc);
  UnitNode node;
  node.name = name;
  node.type = type;
  node.params = params;
  node.loc = loc;
  auto make = info.make;
  node.make = [make, name, params]() { return make(name, params); };
  try {
    return add_node(std::move(node));
  } catch (const Error& e) {
    if (e.loc().line || loc.line == 0) throw;
    throw Error(loc, e.what());
  }
}

int Graph::add_custom_unit(const std::string& name, UnitFactory make, const SourceLoc& loc) {
  UnitNode node;
  node.name = name;
  node.make = std::move(make);
  node.loc = loc;
  std::unique_ptr<Unit> probe = node.make();
  node.type = probe->type();
  return add_node(std::move(node));
}

int Graph::find_unit(const std::string& name) const {
  auto it = storage_->index_of.find(name);
  return it == storage_->index_of.end() ? -1 : it->second;
}

namespace {

std::vector<std::string> port_names(const std::vector<Port>& ports) {
  std::vector<std::string> out;
  for (const auto& p : ports) out.push_back(p.name);
  return out;
}

std::vector<std::string> unit_names(const Graph& g) {
  std::vector<std::string> out;
  for (int i = 0; i < g.unit_count(); ++i) out.push_back(g.unit(i).name);
  return out;
}

// Resolves "unit.port" (or "unit" when that side has exactly one port).
std::pair<int, int> resolve_endpoint(const Graph& g, const std::string& ref, bool is_output,
                                     const SourceLoc& loc) {
  std::string unit_name = ref, port_name;
  auto dot = ref.rfind('.');
  if (dot != std::string::npos) {
    unit_name = ref.substr(0, dot);
    port_name = ref.substr(dot + 1);
  }
  int u = g.find_unit(unit_name);
  if (u < 0) {
    std::string msg = "no unit named '" + unit_name + "' (in '" + ref + "')";
    std::string near = nearest_name(unit_name, unit_names(g));
    if (!near.empty()) msg += "; did you mean '" + near + "'?";
    throw Error(loc, msg);
  }
  const UnitNode& node = g.unit(u);
  const auto& ports = is_output ? node.outputs : node.inputs;
  const char* side = is_output ? "output" : "input";
  if (port_name.empty()) {
    if (ports.size() == 1) return {u, 0};
    throw Error(loc, "unit '" + unit_name + "' has " + std::to_string(ports.size()) + " " + side +
                         " ports; name one as '" + unit_name +
                         ".PORT' (ports: " + join_names(port_names(ports)) + ")");
  }
  for (std::size_t p = 0; p < ports.size(); ++p)
    if (ports[p].name == port_name) return {u, static_cast<int>(p)};
  std::string msg = "unit '" + unit_name + "' (type " + node.type + ") has no " + side + " port '" +
                    port_name + "'";
  std::string near = nearest_name(port_name, port_names(ports));
  if (!near.empty()) msg += "; did you mean '" + near + "'?";
  msg += ports.empty()
             ? std::string(" (it has no ") + side + " ports)"
             : " (" + std::string(side) + " ports: " + join_names(port_names(ports)) + ")";
  throw Error(loc, msg);
}

}  // namespace

std::pair<int, int> Graph::resolve_port(const std::string& ref, bool is_output,
                                        const SourceLoc& loc) const {
  return resolve_endpoint(*this, ref, is_output, loc);
}

int Graph::connect(const std::string& from, const std::string& to, const ChannelTiming& timing,
                   const SourceLoc& loc, const std::string& name) {
  auto [src, src_port] = resolve_endpoint(*this, from, true, loc);
  auto [dst, dst_port] = resolve_endpoint(*this, to, false, loc);
  return connect(src, src_port, dst, dst_port, timing, loc, name);
}

int Graph::connect(int src, int src_port, int dst, int dst_port, const ChannelTiming& timing,
                   const SourceLoc& loc, const std::string& name) {
  if (src < 0 || src >= unit_count() || dst < 0 || dst >= unit_count())
    throw Error(loc, "connect: unit index out of range");
  const UnitNode& s = unit(src);
  const UnitNode& d = unit(dst);
  if (src_port < 0 || src_port >= static_cast<int>(s.outputs.size()))
    throw Error(loc, "unit '" + s.name + "' has no output port #" + std::to_string(src_port));
  if (dst_port < 0 || dst_port >= static_cast<int>(d.inputs.size()))
    throw Error(loc, "unit '" + d.name + "' has no input port #" + std::to_string(dst_port));
  ChannelSpec spec;
  spec.name = name.empty() ? s.name + "." + s.outputs[src_port].name + "->" + d.name + "." +
                                 d.inputs[dst_port].name
                           : name;
  spec.src = src;
  spec.src_port = src_port;
  spec.dst = dst;
  spec.dst_port = dst_port;
  spec.timing = timing;
  spec.loc = loc;
  boost::add_edge(static_cast<std::size_t>(src), static_cast<std::size_t>(dst),
                  ChannelRef{channel_count()}, storage_->g);
  channels_.push_back(std::move(spec));
  return channel_count() - 1;
}

void Graph::set_initial_tokens(int channel_index, std::vector<double> flattened_values) {
  channel(channel_index).initial = std::move(flattened_values);
}

void Graph::validate() const {
  constexpr Cycle kMaxDepth = Cycle(1) << 32;
  std::vector<std::vector<int>> in_use(unit_count()), out_use(unit_count());
  for (int u = 0; u < unit_count(); ++u) {
    in_use[u].assign(unit(u).inputs.size(), -1);
    out_use[u].assign(unit(u).outputs.size(), -1);
  }
  for (int c = 0; c < channel_count(); ++c) {
    const ChannelSpec& ch = channel(c);
    const UnitNode& s = unit(ch.src);
    const UnitNode& d = unit(ch.dst);
    const std::string what = "channel '" + ch.name + "'";
    if (ch.src == ch.dst)
      throw Error(ch.loc,
                  what + " connects unit '" + s.name +
                      "' to itself; route the loop through another unit (e.g. a map with op 'id')");
    if (ch.timing.depth < 1)
      throw Error(ch.loc, what + ": depth " + std::to_string(ch.timing.depth) +
                              " is invalid; depth must be >= 1");
    if (ch.timing.depth > kMaxDepth)
      throw Error(
          ch.loc,
          what + ": depth " + std::to_string(ch.timing.depth) +
              " is too large (at most 2^32 slots); a run's memory grows with the sum of depths");
    if (ch.timing.latency < 1)
      throw Error(ch.loc, what + ": latency " + std::to_string(ch.timing.latency) +
                              " is invalid; latency must be >= 1");
    if (ch.timing.response_latency < 1)
      throw Error(ch.loc, what + ": response_latency " +
                              std::to_string(ch.timing.response_latency) +
                              " is invalid; response_latency must be >= 1");
    // Bounded so that no simulated time can overflow (sim/core/time_limits.h).
    for (auto [key, v] : {std::pair<const char*, Cycle>{"latency", ch.timing.latency},
                          {"response_latency", ch.timing.response_latency}})
      if (v > kMaxDelay)
        throw Error(ch.loc, what + ": " + key + " " + std::to_string(v) +
                                " is too large; it must be at most " +
                                describe_limit(static_cast<std::uint64_t>(kMaxDelay)) + " cycles");
    int sw = s.outputs[ch.src_port].width, dw = d.inputs[ch.dst_port].width;
    if (sw != dw)
      throw Error(ch.loc, what + ": token width mismatch: '" + s.name + "." +
                              s.outputs[ch.src_port].name + "' sends width " + std::to_string(sw) +
                              " but '" + d.name + "." + d.inputs[ch.dst_port].name +
                              "' takes width " + std::to_string(dw));
    if (ch.initial.size() % static_cast<std::size_t>(sw) != 0)
      throw Error(ch.loc, what + ": initial values must be a multiple of the token width " +
                              std::to_string(sw));
    if (static_cast<Cycle>(ch.initial.size() / sw) > ch.timing.depth)
      throw Error(ch.loc, what + ": " + std::to_string(ch.initial.size() / sw) +
                              " initial tokens do not fit in depth " +
                              std::to_string(ch.timing.depth));
    int& o = out_use[ch.src][ch.src_port];
    if (o >= 0)
      throw Error(ch.loc, "output port '" + s.name + "." + s.outputs[ch.src_port].name +
                              "' is connected twice (also by channel '" + channel(o).name +
                              "'); channels are point-to-point: use a broadcast unit to fan out");
    o = c;
    int& i = in_use[ch.dst][ch.dst_port];
    if (i >= 0)
      throw Error(ch.loc, "input port '" + d.name + "." + d.inputs[ch.dst_port].name +
                              "' is connected twice (also by channel '" + channel(i).name +
                              "'); use a zip or map unit to merge streams");
    i = c;
  }
  for (int u = 0; u < unit_count(); ++u) {
    const UnitNode& n = unit(u);
    for (std::size_t p = 0; p < n.inputs.size(); ++p)
      if (in_use[u][p] < 0)
        throw Error(n.loc, "input port '" + n.name + "." + n.inputs[p].name +
                               "' is not connected; add a channel with `to: " + n.name + "." +
                               n.inputs[p].name + "`");
    for (std::size_t p = 0; p < n.outputs.size(); ++p)
      if (out_use[u][p] < 0)
        throw Error(n.loc, "output port '" + n.name + "." + n.outputs[p].name +
                               "' is not connected; add a channel with `from: " + n.name + "." +
                               n.outputs[p].name + "` (e.g. to a sink)");
  }
  // Every directed cycle needs an initial token: the channels without one must form a DAG.
  std::vector<int> state(unit_count(), 0), via(unit_count(), -1);  // 0 new, 1 on stack, 2 done
  std::vector<std::vector<int>> out_edges(unit_count());
  for (int c = 0; c < channel_count(); ++c)
    if (channel(c).initial.empty()) out_edges[channel(c).src].push_back(c);
  for (int root = 0; root < unit_count(); ++root) {
    if (state[root]) continue;
    std::vector<std::pair<int, std::size_t>> stack{{root, 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [u, next] = stack.back();
      if (next == out_edges[u].size()) {
        state[u] = 2;
        stack.pop_back();
        continue;
      }
      int c = out_edges[u][next++];
      int v = channel(c).dst;
      if (state[v] == 1) {
        std::string cycle = unit(v).name;
        std::vector<std::string> path;
        for (int w = u; w != v; w = channel(via[w]).src) path.push_back(unit(w).name);
        for (auto it = path.rbegin(); it != path.rend(); ++it) cycle += " -> " + *it;
        cycle += " -> " + unit(v).name;
        throw Error(channel(c).loc, "cycle without initial tokens: " + cycle +
                                        "; it would deadlock at once. Give one of its channels "
                                        "`initial: [...]` values");
      }
      if (state[v] == 0) {
        state[v] = 1;
        via[v] = c;
        stack.push_back({v, 0});
      }
    }
  }
}

std::string Graph::to_dot() const {
  std::ostringstream os;
  os << "digraph streamsim {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  for (int u = 0; u < unit_count(); ++u)
    os << "  u" << u << " [label=\"" << unit(u).name << "\\n(" << unit(u).type << ")\"];\n";
  for (int c = 0; c < channel_count(); ++c) {
    const ChannelSpec& ch = channel(c);
    os << "  u" << ch.src << " -> u" << ch.dst << " [label=\""
       << unit(ch.src).outputs[ch.src_port].name << "->" << unit(ch.dst).inputs[ch.dst_port].name
       << "\\ndepth " << ch.timing.depth;
    // Each only when it is not 1 (docs/cli.md): the usual channel stays a short label.
    if (ch.timing.latency != 1) os << " L" << ch.timing.latency;
    if (ch.timing.response_latency != 1) os << " R" << ch.timing.response_latency;
    if (!ch.initial.empty())
      os << "\\n" << ch.initial.size() / unit(ch.src).outputs[ch.src_port].width << " initial";
    os << "\"];\n";
  }
  os << "}\n";
  return os.str();
}

}  // namespace streamsim
