#include "graphs/spatial/study.h"

#include <iomanip>

#include "graphs/spatial/yaml_fields.h"

namespace streamsim::spatial {

std::vector<ModelSpec> paper_models() {
  return {{"BERT", 12, 64, 64}, {"TrXL", 16, 64, 64}, {"T5", 8, 64, 64}, {"XLM", 16, 128, 128}};
}

StudySpec load_study(const std::string& path) {
  YAML::Node doc = load_yaml_file(path);
  YAML::Node node = doc && doc.IsMap() && doc["study"] ? doc["study"] : doc;
  YamlFields f(node, path, "study");
  f.reject_unknown({"architecture", "mappings", "batch", "seq_lengths", "models", "max_simulated_epochs"});
  StudySpec spec;
  spec.arch = load_architecture(resolve_path(f.text("architecture"), path));
  for (const auto& m : f.text_list("mappings")) spec.mappings.push_back(load_mapping(resolve_path(m, path)));
  spec.batch = static_cast<int>(f.integer_or("batch", 64, 1, 1 << 20));
  YAML::Node seqs = f.raw("seq_lengths");
  if (!seqs || !seqs.IsSequence())
    throw Error(f.key_loc("seq_lengths"), "study: 'seq_lengths' must be a list of positive integers");
  for (const auto& s : seqs) {
    std::int64_t v = 0;
    try {
      v = s.as<std::int64_t>();
    } catch (const YAML::Exception&) {
      v = 0;
    }
    if (v < 1) throw Error(f.loc_of(s), "study: every sequence length must be a positive integer");
    spec.seq_lengths.push_back(v);
  }
  if (!f.has("models")) {
    f.raw("models");
    spec.models = paper_models();
  } else {
    YAML::Node models = f.raw("models");
    if (!models.IsSequence()) throw Error(f.loc_of(models), "study: 'models' must be a list of {name, heads, E, F}");
    for (const auto& mn : models) {
      YamlFields mf(mn, path, "study.models entry");
      mf.reject_unknown({"name", "heads", "E", "F"});
      ModelSpec ms;
      ms.name = mf.text("name");
      ms.heads = static_cast<int>(mf.integer("heads", 1, 1 << 16));
      ms.E = static_cast<int>(mf.integer("E", 1, 1 << 16));
      ms.F = static_cast<int>(mf.integer_or("F", ms.E, 1, 1 << 16));
      spec.models.push_back(ms);
    }
  }
  spec.options.max_simulated_epochs = f.integer_or("max_simulated_epochs", spec.options.max_simulated_epochs, 16, 1ll << 40);
  return spec;
}

std::vector<SpatialResult> run_study(const StudySpec& spec) {
  std::vector<SpatialResult> rows;
  for (const auto& model : spec.models)
    for (std::int64_t seq : spec.seq_lengths)
      for (const auto& m : spec.mappings) {
        Workload w;
        w.model = model.name;
        w.heads = model.heads;
        w.E = model.E;
        w.F = model.F;
        w.batch = spec.batch;
        w.seq = seq;
        rows.push_back(simulate(spec.arch, m, w, spec.options));
      }
  return rows;
}

void write_csv(std::ostream& os, const std::vector<SpatialResult>& rows) {
  os << "architecture,mapping,model,batch,heads,seq,M0,P0,P1,cycles,seconds,util_2d,util_1d,util_dram,"
        "peak_buffer_bytes,dram_bytes,spill_fraction,blocks_simulated,blocks_total,exact,wall_seconds\n";
  for (const auto& r : rows) {
    os << r.architecture << ',' << r.mapping << ',' << r.model << ',' << r.batch << ',' << r.heads << ','
       << r.seq << ',' << r.M0 << ',' << r.P0 << ',' << r.P1 << ',' << std::setprecision(12) << r.cycles
       << ',' << std::setprecision(6) << r.seconds << ',' << r.util_2d << ',' << r.util_1d << ','
       << r.util_dram << ',' << std::setprecision(12) << r.peak_buffer_bytes << ',' << r.dram_bytes << ','
       << std::setprecision(6) << r.spill_fraction << ',' << r.blocks_simulated << ',' << r.blocks_total
       << ',' << (r.exact ? 1 : 0) << ',' << r.wall_seconds << '\n';
  }
}

}  // namespace streamsim::spatial
