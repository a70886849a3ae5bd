#include "graphs/einsum/pass_analysis.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"

namespace streamsim {
namespace einsum {
namespace {

// When an element of a tensor is complete, relative to the element's own coordinates
// c_1..c_k of the traversed rank (outer first): in pass `pass`, at the end of the level-`level`
// segment (the elements sharing c_1..c_level), shifted by `delta` segments along c_level.
// level k with delta 0 is "as soon as the element itself is read"; level 0 is "after the whole
// fiber"; delta -1 means the previous segment (a running value from earlier iterations).
struct Comp {
  bool always = true;  // does not depend on the traversed rank at all
  int pass = 0;
  int level = 0;
  int delta = 0;
  bool operator==(const Comp& o) const {
    return always == o.always && (always || std::tie(pass, level, delta) == std::tie(o.pass, o.level, o.delta));
  }
};

// An operand as seen from one point of an Einsum's iteration space (granularity g):
// lat -1 = completed before this point, 0 = at this point, j = at the end of the segment j
// levels up, g = at the end of the whole fiber.
struct Rel {
  bool always = true;
  int pass = 0;
  int lat = -1;
};

bool is_init(const Einsum& e) {
  for (const auto& idx : e.lhs.indices)
    if (idx.is_constant()) return true;
  return false;
}

// The variables of an index expression, outer (largest coefficient) first.
std::vector<int> coords_of(const AffineIndex& a) {
  auto terms = a.terms;
  std::stable_sort(terms.begin(), terms.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
  std::vector<int> out;
  for (const auto& t : terms) out.push_back(t.first);
  return out;
}

std::vector<const TensorRef*> refs_of(const Einsum& e) {
  std::vector<const TensorRef*> refs;
  collect_refs(e.rhs, refs);
  return refs;
}

class RankAnalysis {
 public:
  RankAnalysis(const Cascade& c, std::vector<int> coords) : c_(c), coords_(std::move(coords)), k_(static_cast<int>(coords_.size())) {}

  void run() {
    for (int round = 0; round < 64; ++round) {
      std::map<std::string, Comp> next;
      bool src_changed = false;
      for (const auto& e : c_.einsums) {
        if (is_init(e)) continue;
        Comp out = output_comp(e, evaluate(e).first);
        auto it = next.find(e.lhs.name);
        if (it == next.end() || later(out, it->second)) next[e.lhs.name] = out;
        std::set<std::string> s = src_[e.lhs.name];
        for (const TensorRef* r : refs_of(e))
          for (const auto& x : sources(*r)) s.insert(x);
        if (s != src_[e.lhs.name]) { src_[e.lhs.name] = s; src_changed = true; }
      }
      if (next == comp_ && !src_changed) break;
      comp_ = next;
    }
  }

  RankPasses rank_report(const std::string& rank_name) const {
    RankPasses r;
    r.rank = rank_name;
    r.fiber_size = 1;
    for (int v : coords_) {
      r.coords.push_back(c_.ranks[static_cast<std::size_t>(v)].var);
      r.fiber_size *= c_.ranks[static_cast<std::size_t>(v)].size;
    }
    std::set<std::tuple<int, int, std::string>> seen;
    for (const auto& e : c_.einsums) {
      if (is_init(e)) continue;
      auto [rel, forced] = evaluate(e);
      if (rel.always) continue;
      r.passes = std::max(r.passes, rel.pass);
      r.einsums.push_back({e.lhs.name, e.loc.line, rel.pass});
      for (const auto& [ref, pass] : forced) {
        if (pass != rel.pass || !seen.insert({pass, e.loc.line, ref->name}).second) continue;
        PassReason why;
        why.pass = pass;
        why.einsum = e.text;
        why.line = e.loc.line;
        why.needs = ref->name;
        why.needs_line = defining_line(ref->name);
        why.how = describe(*ref);
        r.reasons.push_back(why);
      }
    }
    std::sort(r.reasons.begin(), r.reasons.end(), [](const auto& a, const auto& b) {
      return std::tie(a.pass, a.line) < std::tie(b.pass, b.line);
    });
    return r;
  }

  InputPasses input_report(const std::string& input, const std::string& rank_name) const {
    InputPasses ip;
    ip.input = input;
    ip.rank = rank_name;
    std::set<int> passes;
    std::int64_t segment = 1;
    std::string segment_note, fiber_note;
    for (const auto& e : c_.einsums) {
      if (is_init(e)) continue;
      auto [me, forced] = evaluate(e);
      if (me.always) continue;
      int g = granularity(e);
      for (const TensorRef* r : refs_of(e)) {
        auto src = sources(*r);
        if (!src.count(input)) continue;
        passes.insert(me.pass);
        Rel rel = relative(*r, g);
        if (rel.always) continue;
        if (g > 0 && rel.lat == g) { rel.pass += 1; rel.lat = -1; }
        if (rel.pass < me.pass && rel.lat >= 0 && fiber_note.empty())
          fiber_note = r->name + " is needed again in pass " + std::to_string(me.pass) + " by " + e.lhs.name +
                       " (line " + std::to_string(e.loc.line) + ")";
        if (rel.pass == me.pass && rel.lat >= 0 && rel.lat < me.lat) {
          int level = g - me.lat;  // the segment that must be held
          std::int64_t n = 1;
          for (int i = level; i < operand_granularity(*r); ++i) n *= c_.ranks[static_cast<std::size_t>(coords_[i])].size;
          if (n > segment) {
            segment = n;
            segment_note = r->name + " is held for one segment over (" + coord_names(level) + ") until " + e.lhs.name +
                           " (line " + std::to_string(e.loc.line) + ") can use it";
          }
        }
      }
    }
    ip.passes.assign(passes.begin(), passes.end());
    if (ip.passes.size() > 1) {
      ip.footprint = 1;
      for (int v : coords_) ip.footprint *= c_.ranks[static_cast<std::size_t>(v)].size;
      ip.footprint_kind = "fiber";
      ip.footprint_note = fiber_note;
    } else if (segment > 1) {
      ip.footprint = segment;
      ip.footprint_kind = "segment";
      ip.footprint_note = segment_note;
    } else {
      ip.footprint = 1;
      ip.footprint_kind = "stream";
    }
    return ip;
  }

 private:
  static bool later(const Comp& a, const Comp& b) {
    if (a.always != b.always) return b.always;
    if (a.always) return false;
    return std::make_tuple(a.pass, -a.level, a.delta) > std::make_tuple(b.pass, -b.level, b.delta);
  }

  // Length of the prefix c_1..c_g of the rank's coordinates present in `vars`.
  int prefix(const std::vector<int>& vars) const {
    int g = 0;
    while (g < k_ && std::find(vars.begin(), vars.end(), coords_[static_cast<std::size_t>(g)]) != vars.end()) ++g;
    return g;
  }

  int granularity(const Einsum& e) const {
    std::vector<int> vars;
    for (const auto& idx : e.lhs.indices) collect_vars(idx, vars);
    for (const TensorRef* r : refs_of(e))
      for (const auto& idx : r->indices) collect_vars(idx, vars);
    return prefix(vars);
  }

  bool family_read(const TensorRef& r) const {
    for (const auto& idx : r.indices)
      if (coords_of(idx) == coords_) return true;
    return false;
  }

  int operand_granularity(const TensorRef& r) const {
    const TensorInfo& t = c_.tensor(r.name);
    if (t.is_input) return k_;
    return prefix(t.dim_vars);
  }

  // Inputs whose fiber elements flow into this operand element by element.
  std::set<std::string> sources(const TensorRef& r) const {
    const TensorInfo& t = c_.tensor(r.name);
    if (t.is_input) return family_read(r) ? std::set<std::string>{r.name} : std::set<std::string>{};
    if (prefix(t.dim_vars) == 0) return {};  // a summary: one value per fiber, not the fiber
    auto it = src_.find(r.name);
    return it == src_.end() ? std::set<std::string>{} : it->second;
  }

  Rel relative(const TensorRef& r, int g) const {
    const TensorInfo& t = c_.tensor(r.name);
    if (t.is_input) return family_read(r) ? Rel{false, 1, 0} : Rel{};
    auto it = comp_.find(r.name);
    if (it == comp_.end() || it->second.always) return Rel{};
    const Comp& cu = it->second;
    Rel out{false, cu.pass, g};  // conservative default: the end of the fiber
    if (cu.level == 0) return out;
    int delta = 0;
    for (int level = 1; level <= cu.level; ++level) {
      int var = coords_[static_cast<std::size_t>(level - 1)];
      auto dim = std::find(t.dim_vars.begin(), t.dim_vars.end(), var);
      if (dim == t.dim_vars.end()) return out;
      const AffineIndex& idx = r.indices[static_cast<std::size_t>(dim - t.dim_vars.begin())];
      if (!idx.is_var_plus_offset() || idx.var() != var) return out;  // constant or other index
      if (level < cu.level && idx.constant != 0) return out;
      if (level == cu.level) delta = cu.delta + static_cast<int>(idx.constant);
    }
    if (delta < 0) out.lat = -1;
    else if (delta == 0) out.lat = std::max(0, g - cu.level);
    else out.lat = std::max(0, g - (cu.level - 1));
    return out;
  }

  // The completion of an Einsum's points, and the operands that push it into a new pass.
  std::pair<Rel, std::vector<std::pair<const TensorRef*, int>>> evaluate(const Einsum& e) const {
    int g = granularity(e);
    Rel me;
    std::vector<std::pair<const TensorRef*, int>> forced;
    for (const TensorRef* r : refs_of(e)) {
      Rel rel = relative(*r, g);
      if (rel.always) continue;
      if (g > 0 && rel.lat == g) {
        // A value complete only after the whole fiber, used while walking the fiber again.
        rel.pass += 1;
        rel.lat = -1;
        forced.emplace_back(r, rel.pass);
      }
      if (me.always) me = Rel{false, rel.pass, rel.lat};
      me.pass = std::max(me.pass, rel.pass);
      me.lat = std::max(me.lat, rel.lat);
    }
    if (!me.always) me.lat = std::max(me.lat, 0);
    return {me, forced};
  }

  Comp output_comp(const Einsum& e, const Rel& me) const {
    if (me.always) return Comp{};
    int g = granularity(e);
    std::vector<int> left;
    for (const auto& idx : e.lhs.indices) collect_vars(idx, left);
    int gt = prefix(left);
    Comp out{false, me.pass, std::min(g - me.lat, gt), 0};
    if (out.level > 0) {
      int var = coords_[static_cast<std::size_t>(out.level - 1)];
      for (const auto& idx : e.lhs.indices)
        if (!idx.is_constant() && idx.var() == var) out.delta = -static_cast<int>(idx.constant);
    }
    return out;
  }

  int defining_line(const std::string& name) const {
    const TensorInfo& t = c_.tensor(name);
    for (std::size_t d : t.definitions)
      if (!is_init(c_.einsums[d])) return c_.einsums[d].loc.line;
    return t.loc.line;
  }

  std::string coord_names(int from_level) const {
    std::string s;
    for (int i = from_level; i < k_; ++i) s += (i > from_level ? "," : "") + c_.ranks[static_cast<std::size_t>(coords_[i])].var;
    return s;
  }

  std::string describe(const TensorRef& r) const {
    const TensorInfo& t = c_.tensor(r.name);
    for (std::size_t d = 0; d < t.dim_vars.size(); ++d)
      if (std::find(coords_.begin(), coords_.end(), t.dim_vars[d]) != coords_.end() && r.indices[d].is_constant())
        return "read at " + index_text(r) + ", known only after the last iteration of " +
               c_.ranks[static_cast<std::size_t>(t.dim_vars[d])].var;
    for (std::size_t d : t.definitions) {
      const Einsum& e = c_.einsums[d];
      if (is_init(e)) continue;
      std::string ops;
      for (int v : c_.reduced_vars(e))
        if (std::find(coords_.begin(), coords_.end(), v) != coords_.end())
          ops += (ops.empty() ? "" : ", ") + c_.reduce_op(e, v) + "-reduction over " + c_.ranks[static_cast<std::size_t>(v)].var;
      if (!ops.empty()) return ops;
    }
    return "depends on a value complete only after a full pass";
  }

  const Cascade& c_;
  std::vector<int> coords_;
  int k_;
  std::map<std::string, Comp> comp_;
  std::map<std::string, std::set<std::string>> src_;
};

}  // namespace

PassReport analyse_passes(const Cascade& c) {
  PassReport report;
  report.file = c.file;
  // Each input dimension is traversed by the coordinates its reads use (m, or m1*M0+m0).
  struct Traversal { std::vector<int> coords; std::string rank; };
  std::vector<Traversal> traversals;
  std::vector<std::tuple<std::string, std::string, std::size_t>> input_dims;  // input, rank, traversal
  for (const auto& in : c.inputs) {
    for (std::size_t d = 0; d < in.ranks.size(); ++d) {
      std::vector<int> coords;
      for (const auto& e : c.einsums)
        for (const TensorRef* r : refs_of(e))
          if (r->name == in.name && coords.empty()) coords = coords_of(r->indices[d]);
      if (coords.empty()) continue;
      std::string rank = c.ranks[static_cast<std::size_t>(in.ranks[d])].name;
      std::size_t t = 0;
      while (t < traversals.size() && traversals[t].coords != coords) ++t;
      if (t == traversals.size()) traversals.push_back({coords, rank});
      input_dims.emplace_back(in.name, rank, t);
    }
  }
  std::vector<RankAnalysis> analyses;
  for (const auto& t : traversals) {
    analyses.emplace_back(c, t.coords);
    analyses.back().run();
    report.ranks.push_back(analyses.back().rank_report(t.rank));
  }
  for (const auto& [input, rank, t] : input_dims) report.inputs.push_back(analyses[t].input_report(input, rank));
  return report;
}

int PassReport::passes(const std::string& rank) const {
  for (const auto& r : ranks)
    if (r.rank == rank) return r.passes;
  throw Error("pass report of " + file + " has no traversal of rank '" + rank + "'");
}

const InputPasses& PassReport::input(const std::string& name, const std::string& rank) const {
  for (const auto& i : inputs)
    if (i.input == name && i.rank == rank) return i;
  throw Error("pass report of " + file + " has no input '" + name + "' over rank '" + rank + "'");
}

std::string PassReport::to_text() const {
  std::ostringstream o;
  o << "Pass analysis of " << file << "\n";
  for (const auto& r : ranks) {
    o << "\nrank " << r.rank << " (traversed as " << join_names(r.coords) << "; fiber of " << r.fiber_size
      << " elements): " << r.passes << (r.passes == 1 ? " pass" : " passes") << "\n";
    for (const auto& why : r.reasons)
      o << "  pass " << why.pass << " forced: line " << why.line << " `" << why.einsum << "` needs " << why.needs
        << " (line " << why.needs_line << "): " << why.how << "\n";
    o << "  Einsums by pass:";
    for (int p = 1; p <= r.passes; ++p) {
      o << (p > 1 ? " |" : "") << " " << p << ":";
      for (const auto& e : r.einsums)
        if (e.pass == p) o << " " << e.tensor;
    }
    o << "\n";
  }
  o << "\ninputs (live footprint = elements buffered per fiber if the input is read once):\n";
  for (const auto& i : inputs) {
    o << "  " << i.input << " over " << i.rank << ": ";
    if (i.passes.empty()) {
      o << "not read\n";
      continue;
    }
    std::vector<std::string> ps;
    for (int p : i.passes) ps.push_back(std::to_string(p));
    o << i.passes.size() << (i.passes.size() == 1 ? " pass" : " passes") << " (in pass " << join_names(ps, ",")
      << "); footprint >= " << i.footprint << " (" << i.footprint_kind << ")";
    if (!i.footprint_note.empty()) o << ": " << i.footprint_note;
    o << "\n";
  }
  return o.str();
}

std::string PassReport::to_json() const {
  nlohmann::json j;
  j["file"] = file;
  j["ranks"] = nlohmann::json::array();
  for (const auto& r : ranks) {
    nlohmann::json jr{{"rank", r.rank}, {"coords", r.coords}, {"fiber_size", r.fiber_size}, {"passes", r.passes}};
    jr["reasons"] = nlohmann::json::array();
    for (const auto& w : r.reasons)
      jr["reasons"].push_back({{"pass", w.pass}, {"einsum", w.einsum}, {"line", w.line}, {"needs", w.needs},
                               {"needs_line", w.needs_line}, {"how", w.how}});
    jr["einsums"] = nlohmann::json::array();
    for (const auto& e : r.einsums) jr["einsums"].push_back({{"tensor", e.tensor}, {"line", e.line}, {"pass", e.pass}});
    j["ranks"].push_back(jr);
  }
  j["inputs"] = nlohmann::json::array();
  for (const auto& i : inputs)
    j["inputs"].push_back({{"input", i.input}, {"rank", i.rank}, {"passes", i.passes}, {"pass_count", i.passes.size()},
                           {"footprint", i.footprint}, {"footprint_kind", i.footprint_kind},
                           {"footprint_note", i.footprint_note}});
  return j.dump(2);
}

}  // namespace einsum
}  // namespace streamsim
