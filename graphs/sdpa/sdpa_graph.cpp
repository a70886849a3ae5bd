#include "graphs/sdpa/sdpa_graph.h"

#include <cmath>
#include <algorithm>
#include <map>

#include "graphs/sdpa/reference.h"
#include "sim/core/error.h"

namespace streamsim::sdpa {

namespace {

// Adds units with the per-unit timing overrides applied and records every name used.
// It fills a Graph owned by the caller: a Graph must not be copied or moved after channels
// are added (its channel list holds Boost edge descriptors that point into its storage).
class Builder {
 public:
  Builder(const SdpaParams& p, Graph& g) : p_(p), g_(g) {}

  void unit(const std::string& name, const std::string& type, Params params) {
    auto it = p_.timing.find(name);
    if (it != p_.timing.end()) {
      if (it->second.ii > 0) params.set("ii", static_cast<std::int64_t>(it->second.ii));
      if (it->second.latency > 0) params.set("latency", static_cast<std::int64_t>(it->second.latency));
    }
    const int index = g_.add_unit(name, type, params);
    names_.push_back(name);
    latency_[name] = g_.unit(index).make()->latency();
  }

  void link(const std::string& from, const std::string& to, Cycle depth, const std::string& name = "") {
    g_.connect(from, to, ChannelTiming{depth, 1, 1}, SourceLoc{}, name);
  }
  // A short FIFO: short_depth, or by default the least depth at which the producer can send
  // every cycle: an element occupies its slot from its send until its credit returns,
  // latency + R cycles (latency >= L), so full rate needs depth >= latency + R (>= 2).
  void link(const std::string& from, const std::string& to) {
    if (p_.short_depth > 0) return link(from, to, p_.short_depth);
    const Cycle latency = latency_.at(from.substr(0, from.find('.')));
    link(from, to, std::max<Cycle>(2, latency + 1));
  }

  Params source(const char* tensor, const char* order) const {
    Params s;
    s.set("tensor", tensor).set("N", p_.N).set("D", p_.D).set("heads", p_.heads);
    s.set("seed", static_cast<std::int64_t>(p_.seed)).set("score_scale", p_.score_scale);
    s.set("width", width_name(p_.width)).set("order", order);
    return s;
  }

  Graph& graph() { return g_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  const SdpaParams& p_;
  Graph& g_;
  std::vector<std::string> names_;
  std::map<std::string, Cycle> latency_;
};

bool vec(const SdpaParams& p) { return p.width == Width::Vector; }

// Q.K^T / sqrt(D): scores leave `scale.out`, row-major, heads*N*N of them.
void add_scores(Builder& b, const SdpaParams& p) {
  const std::int64_t rows = static_cast<std::int64_t>(p.heads) * p.N;
  b.unit("q", "sdpa_source", b.source("q", "once"));
  b.unit("k", "sdpa_source", b.source("k", "per_query"));
  if (vec(p)) {
    b.unit("q_repeat", "repeat", Params().set("count", p.N).set("width", p.D));
    b.unit("qk", "dot", Params().set("width", p.D));
    b.link("q", "q_repeat");
    b.link("q_repeat", "qk.a");
  } else {
    b.unit("qk", "matmul", Params().set("m", rows).set("k", p.D).set("n", p.N).set("mode", "buffered"));
    b.link("q", "qk.a");
  }
  b.link("k", "qk.b");
  b.unit("scale", "map", Params().set("op", "scale").set("factor", 1.0 / std::sqrt(static_cast<double>(p.D))));
  b.link("qk", "scale");
}

// V rows (width D) at `v_rows`' output, once per query row.
std::string add_v_rows(Builder& b, const SdpaParams& p) {
  b.unit("v", "sdpa_source", b.source("v", "per_query"));
  if (vec(p)) return "v";
  b.unit("v_pack", "pack", Params().set("width", p.D));
  b.link("v", "v_pack");
  return "v_pack";
}

// A row-normalisation stage of the naive variants: x -> bcast -> (long FIFO) -> combine.a,
// bcast -> reduce(op, N) -> repeat(N) -> combine.b; combine = map(combine_op).
void add_row_pass(Builder& b, const SdpaParams& p, const std::string& in, const std::string& prefix,
                  const char* reduce_op, const char* combine, const char* combine_op,
                  const std::string& long_name, Cycle long_depth) {
  const std::string bcast = prefix + "_bcast", red = "row_" + prefix, rep = prefix + "_repeat";
  b.unit(bcast, "broadcast", Params().set("outputs", 2));
  b.unit(red, "reduce", Params().set("op", reduce_op).set("group", p.N));
  b.unit(rep, "repeat", Params().set("count", p.N));
  b.unit(combine, "map", Params().set("op", combine_op));
  b.link(in, bcast);
  b.link(bcast + ".out0", std::string(combine) + ".a", long_depth, long_name);
  b.link(bcast + ".out1", red);
  b.link(red, rep);
  b.link(rep, std::string(combine) + ".b");
}

// Naive tail: probabilities p (one per score) -> P.V -> sink.
std::string add_naive_pv(Builder& b, const SdpaParams& p, const std::string& probs) {
  const std::string v = add_v_rows(b, p);
  b.unit("pv_mul", "map", Params().set("op", "mul").set("width", p.D).set("b_scalar", true));
  b.unit("pv_sum", "reduce", Params().set("op", "sum").set("group", p.N).set("width", p.D));
  b.link(v, "pv_mul.a");
  b.link(probs, "pv_mul.b");
  b.link("pv_mul", "pv_sum");
  if (vec(p)) return "pv_sum";
  b.unit("out_unpack", "unpack", Params().set("width", p.D));
  b.link("pv_sum", "out_unpack");
  return "out_unpack";
}

std::string add_naive(Builder& b, const SdpaParams& p) {
  const Cycle depth = p.long_depth > 0 ? p.long_depth : naive_long_depth_min(p);
  b.unit("exp", "map", Params().set("op", "exp"));
  b.link("scale", "exp");
  add_row_pass(b, p, "exp", "sum", "sum", "div", "div", "long", depth);
  return add_naive_pv(b, p, "div");
}

std::string add_naive_stable(Builder& b, const SdpaParams& p) {
  const Cycle depth = p.long_depth > 0 ? p.long_depth : naive_long_depth_min(p);
  add_row_pass(b, p, "scale", "max", "max", "sub", "sub", "long_max", depth);
  b.unit("exp", "map", Params().set("op", "exp"));
  b.link("sub", "exp");
  add_row_pass(b, p, "exp", "sum", "sum", "div", "div", "long_sum", depth);
  return add_naive_pv(b, p, "div");
}

std::string add_reordered(Builder& b, const SdpaParams& p) {
  b.unit("scan", "softmax_scan", Params().set("N", p.N));
  b.unit("scan_bcast", "broadcast", Params().set("outputs", 2).set("width", 2));
  b.unit("denom", "rescale_fold", Params().set("N", p.N).set("D", 0));
  b.unit("numer", "rescale_fold", Params().set("N", p.N).set("D", p.D));
  b.link("scale", "scan");
  b.link("scan", "scan_bcast");
  b.link("scan_bcast.out0", "denom.w");
  b.link("scan_bcast.out1", "numer.w");
  b.link(add_v_rows(b, p), "numer.v");
  if (vec(p)) {
    b.unit("norm", "map", Params().set("op", "div").set("width", p.D).set("b_scalar", true));
    b.link("numer", "norm.a");
    b.link("denom", "norm.b");
    return "norm";
  }
  // Zip(o, r) -> flatmap div_last: D quotients o[f]/r per row, one per cycle.
  b.unit("norm_zip", "zip", Params().set("width_a", p.D).set("width_b", 1));
  b.unit("norm", "flatmap", Params().set("op", "div_last").set("width", p.D + 1));
  b.link("numer", "norm_zip.a");
  b.link("denom", "norm_zip.b");
  b.link("norm_zip", "norm");
  return "norm";
}

void check_params(const SdpaParams& p) {
  auto bad = [](const std::string& key, const std::string& why) {
    throw Error("SDPA parameter '" + key + "' " + why);
  };
  if (p.N < 1) bad("N", "must be >= 1");
  if (p.D < 1) bad("D", "must be >= 1");
  if (p.heads < 1) bad("heads", "must be >= 1");
  if (p.short_depth < 0) bad("short_depth", "must be >= 1 (or 0 for the derived full-rate depth)");
  if (p.long_depth < 0) bad("long_depth", "must be >= 1 (or 0 for the derived minimum)");
  if (!(p.score_scale > 0)) bad("score_scale", "must be > 0");
}

}  // namespace

std::vector<std::string> long_channel_names(Variant v) {
  switch (v) {
    case Variant::Naive: return {"long"};
    case Variant::NaiveStable: return {"long_max", "long_sum"};
    case Variant::Reordered: return {};
  }
  return {};
}

Graph build_sdpa_graph(const SdpaParams& p) {
  check_params(p);
  Graph g;  // returned by name: NRVO constructs it in the caller, never copying it
  Builder b(p, g);
  add_scores(b, p);
  std::string last;
  switch (p.variant) {
    case Variant::Naive: last = add_naive(b, p); break;
    case Variant::NaiveStable: last = add_naive_stable(b, p); break;
    case Variant::Reordered: last = add_reordered(b, p); break;
  }
  Params sink;
  sink.set("width", vec(p) ? p.D : 1).set("keep", static_cast<std::int64_t>(p.keep));
  if (p.check) {
    sink.set("expect", reference_sdpa(p.N, p.D, p.heads, p.seed, p.score_scale).out);
    sink.set("tolerance", 1e-9);
  }
  b.unit(kSdpaSink, "sink", sink);
  b.link(last, kSdpaSink);
  for (const auto& [name, t] : p.timing) {
    const auto& names = b.names();
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw Error("SDPA timing given for unknown unit '" + name + "'; units of this graph: " +
                  join_names(names));
  }
  g.validate();
  return g;
}

std::vector<std::string> sdpa_unit_names(const SdpaParams& p) {
  SdpaParams q = p;
  q.timing.clear();
  q.check = false;
  q.N = q.D = 2;
  q.heads = 1;
  Graph g = build_sdpa_graph(q);
  std::vector<std::string> out;
  for (int i = 0; i < g.unit_count(); ++i) out.push_back(g.unit(i).name);
  return out;
}

Cycle naive_long_depth_min(const SdpaParams& p) {
  // Row i's first element enters the long FIFO at b; the row's sum reaches the divider
  // Lambda = latency(bcast) + latency(reduce) + latency(repeat) cycles after the row's last
  // element left the broadcast, i.e. at b + I*(N-1) + Lambda (I: cycles between scores, 1 at
  // vector width, D at scalar width). From then on the divider dequeues one element every I
  // cycles, while the broadcast keeps sending one every I cycles. Element e can be sent once
  // element e-C was dequeued and its credit returned (R = 1 cycle later):
  //   b + I*(N-1) + Lambda + I*(e-C) + R <= b + I*e   <=>   C >= N - 1 + ceil((Lambda+R)/I).
  // Exact for II = 1 everywhere (tests/graphs/sdpa_naive_test.cpp pins it).
  auto lat = [&](const std::string& unit) -> Cycle {
    auto it = p.timing.find(unit);
    return it == p.timing.end() || it->second.latency <= 0 ? 1 : it->second.latency;
  };
  Cycle lambda = lat("sum_bcast") + lat("row_sum") + lat("sum_repeat");
  if (p.variant == Variant::NaiveStable)
    lambda = std::max(lambda, lat("max_bcast") + lat("row_max") + lat("max_repeat"));
  const Cycle interval = p.width == Width::Vector ? 1 : p.D;
  const Cycle response = 1;
  return static_cast<Cycle>(p.N) - 1 + (lambda + response + interval - 1) / interval;
}

}  // namespace streamsim::sdpa
