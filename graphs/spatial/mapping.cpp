#include "graphs/spatial/mapping.h"

#include "graphs/spatial/yaml_fields.h"

namespace streamsim::spatial {

const char* array_name(ArrayId a) { return a == ArrayId::A2D ? "array2d" : "array1d"; }

namespace {

int read_side(YamlFields& f, const std::string& key) {
  if (!f.has(key)) {
    f.raw(key);
    return 0;
  }
  YAML::Node n = f.raw(key);
  if (n.IsScalar() && n.Scalar() == "array") return 0;
  return static_cast<int>(f.integer(key, 1, 1 << 20));
}

}  // namespace

Mapping mapping_from_yaml(const YAML::Node& doc, const std::string& file) {
  YAML::Node node = doc && doc.IsMap() && doc["mapping"] ? doc["mapping"] : doc;
  YamlFields f(node, file, "mapping");
  f.reject_unknown({"name", "cascade", "fusion", "partition", "loop_order", "binding",
                    "pipeline_epochs", "interleave"});
  Mapping m;
  m.loc = f.loc();
  m.name = f.text_or("name", file);
  m.cascade_loc = f.key_loc("cascade");
  m.cascade = f.text("cascade");
  m.cascade_file = resolve_path(m.cascade, file.empty() ? "./mapping" : file);
  m.costs = load_cascade_costs(m.cascade_file, m.cascade_loc);
  m.cascade_file = m.costs->file;
  std::string fusion = f.text_or("fusion", "passes");
  if (fusion != "passes" && fusion != "unfused" && fusion != "kernels")
    throw Error(f.key_loc("fusion"), "mapping: 'fusion' must be 'passes' (fuse every Einsum of a "
                                     "pass), 'kernels' (one kernel per run of Einsums on one array, "
                                     "kernel outputs through DRAM) or 'unfused' (each Einsum a phase "
                                     "through DRAM), got '" + fusion + "'");
  m.unfused = fusion == "unfused";
  m.kernels = fusion == "kernels";

  if (f.has("partition")) {
    YamlFields p = f.child("partition");
    p.reject_unknown({"M0", "P0", "P1"});
    m.M0 = read_side(p, "M0");
    m.P0 = read_side(p, "P0");
    if (p.has("P1") && p.raw("P1").IsScalar() && p.raw("P1").Scalar() == "auto")
      m.P1 = 0;
    else
      m.P1 = static_cast<int>(p.integer_or("P1", 1, 1, 1 << 20));
  } else {
    f.raw("partition");
  }

  if (f.has("loop_order")) {
    m.loop_order = f.text_list("loop_order");
    if (m.loop_order != std::vector<std::string>{"p2", "m1", "p1"})
      throw Error(f.key_loc("loop_order"),
                  "mapping: loop_order [" + join_names(m.loop_order) +
                      "] is not supported; the supported order is [p2, m1, p1] (p0 and m0 are "
                      "spatial on the 2D array)");
  } else {
    f.raw("loop_order");
  }

  YamlFields b = f.child("binding");
  b.reject_unknown({"array2d", "array1d"});
  m.binding_section_loc = b.loc();
  for (const std::string& array : {std::string("array2d"), std::string("array1d")}) {
    if (!b.has(array)) {
      b.raw(array);
      continue;
    }
    YAML::Node list = b.raw(array);
    for (const std::string& e : b.text_list(array)) {
      if (m.binding.count(e))
        throw Error(b.loc_of(list), "mapping.binding: Einsum '" + e + "' is bound twice; bind it to one array");
      m.binding[e] = array == "array2d" ? ArrayId::A2D : ArrayId::A1D;
      m.binding_loc[e] = b.loc_of(list);
    }
  }
  m.pipeline_epochs = f.flag_or("pipeline_epochs", true);
  m.interleave = f.flag_or("interleave", true);
  return m;
}

Mapping load_mapping(const std::string& path) {
  return mapping_from_yaml(load_yaml_file(path, "mapping file"), path);
}

}  // namespace streamsim::spatial
