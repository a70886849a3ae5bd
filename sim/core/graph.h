#pragma once
// The architecture: a Boost.Graph of units (vertices) and channels (edges). A graph holds how
// to build each unit, not unit objects, so one graph can be run many times, on either engine.
// The Boost.Graph storage lives in graph.cpp (Graph::Storage): every file that includes this
// header would otherwise parse Boost.Graph's headers (~2 s of compile time each).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/channel_state.h"
#include "sim/core/params.h"
#include "sim/core/unit.h"

namespace streamsim {

using UnitFactory = std::function<std::unique_ptr<Unit>()>;

struct UnitNode {
  std::string name;
  std::string type;
  Params params;  // for registered types; informational for custom units
  UnitFactory make;
  std::vector<Port> inputs, outputs;  // copied from a prototype so validation needs no engine
  SourceLoc loc;
};

struct ChannelSpec {
  std::string name;  // "src.port->dst.port" unless given
  int src = -1, src_port = -1, dst = -1, dst_port = -1;
  ChannelTiming timing;
  std::vector<double> initial;  // initial tokens, flattened (count = size / width)
  SourceLoc loc;
};

class Graph {
 public:
  Graph();
  ~Graph();
  Graph(const Graph& other);
  Graph& operator=(const Graph& other);
  Graph(Graph&& other);  // not noexcept: the moved-from graph gets fresh (empty) storage
  Graph& operator=(Graph&& other);

  // Adds a unit of a registered type; params are completed with defaults and validated.
  int add_unit(const std::string& name, const std::string& type, const Params& params = {},
               const SourceLoc& loc = {});
  // Adds an already-validated registered unit (the config loader's path).
  int add_validated_unit(const std::string& name, const std::string& type, const Params& params,
                         const SourceLoc& loc);
  // Adds a unit built by custom code (tests, graph builders with private units).
  int add_custom_unit(const std::string& name, UnitFactory make, const SourceLoc& loc = {});

  // Connects `src.port` to `dst.port` ("unit.port"; a unit with one port on that side may be
  // named alone). Throws Error naming the missing unit or port.
  int connect(const std::string& from, const std::string& to, const ChannelTiming& timing = {},
              const SourceLoc& loc = {}, const std::string& name = "");
  int connect(int src, int src_port, int dst, int dst_port, const ChannelTiming& timing = {},
              const SourceLoc& loc = {}, const std::string& name = "");
  void set_initial_tokens(int channel, std::vector<double> flattened_values);
  // Resolves "unit.port" (or "unit") to (unit index, port index) the way connect does; throws
  // the same errors at `loc` (lets a loader point at the `from:` or `to:` value itself).
  std::pair<int, int> resolve_port(const std::string& ref, bool is_output,
                                   const SourceLoc& loc) const;

  int unit_count() const;
  int channel_count() const { return static_cast<int>(channels_.size()); }
  const UnitNode& unit(int i) const;
  const ChannelSpec& channel(int i) const { return channels_[static_cast<std::size_t>(i)]; }
  ChannelSpec& channel(int i) { return channels_[static_cast<std::size_t>(i)]; }
  int find_unit(const std::string& name) const;  // -1 if absent; constant time (a name index)

  // Checks before any run: every port connected exactly once, widths match, depths and
  // latencies >= 1, initial tokens fit, and every directed cycle holds an initial token.
  // Throws Error listing the first problem found with its location.
  void validate() const;

  // Graphviz rendering: units as boxes, channels labelled with depth (and latencies if not 1).
  std::string to_dot() const;

 private:
  int add_node(UnitNode node);
  struct Storage;  // the Boost.Graph adjacency list and the unit-name index (graph.cpp)
  std::unique_ptr<Storage> storage_;
  std::vector<ChannelSpec> channels_;
};

}  // namespace streamsim
