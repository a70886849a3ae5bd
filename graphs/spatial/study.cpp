#include "graphs/spatial/study.h"

#include <iomanip>

#include "graphs/spatial/yaml_fields.h"

namespace streamsim::spatial {

std::vector<ModelSpec> paper_models() {
  return {{"BERT", 12, 64, 64}, {"TrXL", 16, 64, 64}, {"T5", 8, 64, 64}, {"XLM", 16, 128, 128}};
}

namespace {

// A mappings entry: a file name (runs on the study's architecture) or
// {mapping: FILE, architecture: FILE} (runs on its own).
void load_mapping_entry(const YAML::Node& entry, YamlFields& f, const std::string& path, StudySpec& spec) {
  std::string mapping_file, arch_file;
  if (entry.IsScalar()) {
    mapping_file = entry.Scalar();
  } else if (entry.IsMap()) {
    YamlFields ef(entry, path, "study.mappings entry");
    mapping_file = ef.text("mapping");
    arch_file = ef.text_or("architecture", "");
    ef.reject_unknown({"mapping", "architecture"});
  } else {
    throw Error(f.loc_of(entry), "study: a 'mappings' entry must be a file name or {mapping: FILE, architecture: FILE}");
  }
  std::vector<std::string> files;
  if (arch_file.empty()) {
    files.push_back(spec.files.at(1));  // the study's architecture
    spec.mapping_archs.push_back(spec.arch);
  } else {
    files.push_back(resolve_path(arch_file, path));
    spec.files.push_back(files.back());
    spec.mapping_archs.push_back(load_architecture(files.back()));
  }
  files.push_back(resolve_path(mapping_file, path));
  spec.files.push_back(files.back());
  spec.mappings.push_back(load_mapping(files.back()));
  if (!spec.mappings.back().cascade_file.empty()) {
    files.push_back(spec.mappings.back().cascade_file);
    spec.files.push_back(files.back());
  }
  spec.mapping_files.push_back(files);
}

}  // namespace

StudySpec load_study(const std::string& path) {
  YAML::Node doc = load_yaml_file(path, "spatial study file");
  YAML::Node node = doc;
  if (doc && doc.IsMap() && doc["study"]) {
    // `kind: spatial` marks the file for `streamsim sweep` (docs/spatial.md); nothing else
    // may sit beside `study:`.
    YamlFields top(doc, path, "spatial study file");
    if (top.has("kind") && top.text("kind") != "spatial")
      throw Error(top.key_loc("kind"), "study: 'kind' must be 'spatial' in a spatial study file");
    node.reset(top.raw("study"));  // rebind: assigning a yaml-cpp node would overwrite `doc`
    top.reject_unknown({"kind", "study"});
  }
  YamlFields f(node, path, "study");
  f.reject_unknown({"architecture", "mappings", "batch", "seq_lengths", "models", "max_simulated_epochs"});
  StudySpec spec;
  spec.files.push_back(path);
  spec.files.push_back(resolve_path(f.text("architecture"), path));
  spec.arch = load_architecture(spec.files.back());
  YAML::Node mappings = f.raw("mappings");
  if (!mappings || !mappings.IsSequence() || mappings.size() == 0)
    throw Error(f.key_loc("mappings"), "study: 'mappings' must be a non-empty list of mapping files");
  for (const auto& entry : mappings) load_mapping_entry(entry, f, path, spec);
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

std::vector<StudyPoint> study_points(const StudySpec& spec) {
  std::vector<StudyPoint> points;
  for (const auto& model : spec.models)
    for (std::int64_t seq : spec.seq_lengths)
      for (std::size_t m = 0; m < spec.mappings.size(); ++m) points.push_back(StudyPoint{model, seq, m});
  return points;
}

SpatialResult run_point(const StudySpec& spec, const StudyPoint& p) {
  Workload w;
  w.model = p.model.name;
  w.heads = p.model.heads;
  w.E = p.model.E;
  w.F = p.model.F;
  w.batch = spec.batch;
  w.seq = p.seq;
  return simulate(spec.arch_of(p.mapping), spec.mappings.at(p.mapping), w, spec.options);
}

std::vector<SpatialResult> run_study(const StudySpec& spec) {
  std::vector<SpatialResult> rows;
  for (const StudyPoint& p : study_points(spec)) rows.push_back(run_point(spec, p));
  return rows;
}

void write_csv(std::ostream& os, const std::vector<SpatialResult>& rows, bool include_wall) {
  os << "architecture,mapping,model,batch,heads,seq,M0,P0,P1,cycles,seconds,util_2d,util_1d,util_dram,"
        "peak_buffer_bytes,dram_bytes,spill_fraction,blocks_simulated,blocks_total,exact"
     << (include_wall ? ",wall_seconds\n" : "\n");
  for (const auto& r : rows) {
    os << r.architecture << ',' << r.mapping << ',' << r.model << ',' << r.batch << ',' << r.heads << ','
       << r.seq << ',' << r.M0 << ',' << r.P0 << ',' << r.P1 << ',' << std::setprecision(12) << r.cycles
       << ',' << std::setprecision(6) << r.seconds << ',' << r.util_2d << ',' << r.util_1d << ','
       << r.util_dram << ',' << std::setprecision(12) << r.peak_buffer_bytes << ',' << r.dram_bytes << ','
       << std::setprecision(6) << r.spill_fraction << ',' << r.blocks_simulated << ',' << r.blocks_total
       << ',' << (r.exact ? 1 : 0);
    if (include_wall) os << ',' << r.wall_seconds;
    os << '\n';
  }
}

}  // namespace streamsim::spatial
