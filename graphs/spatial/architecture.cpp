#include "graphs/spatial/architecture.h"

#include <algorithm>

#include "graphs/spatial/yaml_fields.h"

namespace streamsim::spatial {

const char* op_name(Op op) {
  switch (op) {
    case Op::Add: return "add";
    case Op::Mul: return "mul";
    case Op::Max: return "max";
    case Op::Div: return "div";
  }
  return "?";
}

bool Array2D::supports(Op op) const { return std::find(ops.begin(), ops.end(), op) != ops.end(); }
bool Array1D::supports(Op op) const { return std::find(ops.begin(), ops.end(), op) != ops.end(); }

namespace {

std::vector<Op> read_ops(YamlFields& f, const std::vector<Op>& fallback) {
  if (!f.has("ops")) {
    f.raw("ops");
    return fallback;
  }
  const std::vector<std::string> valid{"add", "mul", "max", "div"};
  std::vector<Op> ops;
  YAML::Node list = f.raw("ops");
  for (const std::string& name : f.text_list("ops")) {
    auto it = std::find(valid.begin(), valid.end(), name);
    if (it == valid.end()) {
      std::string hint = nearest_name(name, valid);
      throw Error(f.loc_of(list), f.what() + ": unknown op '" + name + "'" +
                                      (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                      "; valid ops: " + join_names(valid));
    }
    ops.push_back(static_cast<Op>(it - valid.begin()));
  }
  if (!std::count(ops.begin(), ops.end(), Op::Add) || !std::count(ops.begin(), ops.end(), Op::Mul))
    throw Error(f.loc_of(list), f.what() + ": 'ops' must include add and mul (exp is built from MACs)");
  return ops;
}

// `op_timing: sequential | pipelined` (Array2D::pipelined).
bool read_op_timing(YamlFields& f) {
  const std::string t = f.text_or("op_timing", "sequential");
  if (t != "sequential" && t != "pipelined")
    throw Error(f.key_loc("op_timing"), f.what() + ": 'op_timing' must be sequential (one cycle per op, exp = "
                                                   "its MACs + adds) or pipelined (one point per cycle), got '" +
                                            t + "'");
  return t == "pipelined";
}

}  // namespace

Architecture architecture_from_yaml(const YAML::Node& doc, const std::string& file) {
  YAML::Node node = doc && doc.IsMap() && doc["architecture"] ? doc["architecture"] : doc;
  YamlFields f(node, file, "architecture");
  f.reject_unknown({"name", "clock_ghz", "word_bytes", "global_buffer_bytes", "array2d", "array1d",
                    "dram", "exp_cost"});
  Architecture a;
  a.loc = f.loc();
  a.name = f.text_or("name", file.empty() ? "unnamed" : file);
  a.clock_ghz = f.number("clock_ghz", 1e-3, 100);
  a.word_bytes = static_cast<int>(f.integer_or("word_bytes", 2, 1, 16));
  a.global_buffer_bytes = f.integer("global_buffer_bytes", 1, std::int64_t(1) << 50);

  YamlFields a2 = f.child("array2d");
  a2.reject_unknown({"rows", "cols", "register_file_entries", "ops", "reduction_network", "op_timing"});
  a.array2d.rows = static_cast<int>(a2.integer("rows", 1, 1 << 16));
  a.array2d.cols = static_cast<int>(a2.integer("cols", 1, 1 << 16));
  a.array2d.register_file_entries = static_cast<int>(a2.integer_or("register_file_entries", 16, 1, 1 << 20));
  a.array2d.ops = read_ops(a2, a.array2d.ops);
  a.array2d.pipelined = read_op_timing(a2);
  a.array2d.reduction_network = a2.text_or("reduction_network", "row");
  if (a.array2d.reduction_network != "row" && a.array2d.reduction_network != "column" &&
      a.array2d.reduction_network != "both")
    throw Error(a2.key_loc("reduction_network"),
                "architecture.array2d: 'reduction_network' must be row, column or both");

  YamlFields a1 = f.child("array1d");
  a1.reject_unknown({"pes", "ops", "op_timing"});
  a.array1d.pes = static_cast<int>(a1.integer("pes", 1, 1 << 20));
  a.array1d.ops = read_ops(a1, a.array1d.ops);
  a.array1d.pipelined = read_op_timing(a1);

  YamlFields d = f.child("dram");
  d.reject_unknown({"bandwidth_gb_per_s", "latency_cycles"});
  a.dram_gb_per_s = d.number("bandwidth_gb_per_s", 1e-3, 1e6);
  a.dram_latency_cycles = d.integer_or("latency_cycles", 0, 0, 1 << 20);

  if (f.has("exp_cost")) {
    YamlFields e = f.child("exp_cost");
    e.reject_unknown({"macs", "adds", "fuse_argument"});
    a.exp_macs = static_cast<int>(e.integer_or("macs", 6, 0, 1000));
    a.exp_adds = static_cast<int>(e.integer_or("adds", 1, 0, 1000));
    a.exp_fuses_argument = e.flag_or("fuse_argument", true);
    if (a.exp_ops() < 1) throw Error(e.loc(), "architecture.exp_cost: exp must cost at least one op");
  } else {
    f.raw("exp_cost");
  }
  return a;
}

Architecture load_architecture(const std::string& path) {
  return architecture_from_yaml(load_yaml_file(path, "spatial architecture file"), path);
}

}  // namespace streamsim::spatial
