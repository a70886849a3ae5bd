// streamsim_bench: the simulation-core benchmark. A linear pipeline source -> S map stages ->
// sink (FIFO depth 2, L = R = 1, II = latency = 1) is run on the fast engine, on the systemc
// engine, and as a hand-written SystemC model; the table compares their speed.
//
// Every measurement runs in a fresh child process (this executable with --child VARIANT),
// because SystemC's kernel cannot be restarted within a process. The best (shortest) wall time
// of --repeat runs is reported.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "tests/bench/bench_pipeline.h"
#include "tests/bench/child_process.h"
#include "tests/bench/measurement.h"

using namespace streamsim::bench;

namespace {

struct Options {
  PipelineSpec spec;
  std::string engines = "fast,systemc,handwritten";
  int repeat = 3;
  int timeout = 1200;  // seconds a child may take before it is killed (SIGALRM)
  std::string child;    // internal: measure this variant once and print its line
};

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::string> child_args(const Options& o, const std::string& variant) {
  std::vector<std::string> a{"--child", variant, "--tokens", std::to_string(o.spec.tokens),
                             "--stages", std::to_string(o.spec.stages), "--timeout",
                             std::to_string(o.timeout)};
  if (o.spec.library_units) a.push_back("--library-units");
  return a;
}

Measurement measure_in_child(const Options& o, const std::string& variant) {
  ChildOutput c = run_self(child_args(o, variant));
  std::string why;
  if (c.term_signal != 0) why = "child killed by signal " + std::to_string(c.term_signal);
  else if (c.exit_code != 0) why = "child exited with code " + std::to_string(c.exit_code);
  else why = "child printed no result";
  Measurement m = from_output(c.out, why);
  if (m.available && (c.term_signal != 0 || c.exit_code != 0)) {
    m.available = false;
    m.error = why;
  }
  return m;
}

std::string with_commas(long long v) {
  std::string s = std::to_string(v), out;
  int n = 0;
  for (auto it = s.rbegin(); it != s.rend(); ++it) {
    if (n++ % 3 == 0 && n > 1 && *it != '-') out.insert(out.begin(), ',');
    out.insert(out.begin(), *it);
  }
  return out;
}

int run_driver(const Options& o) {
  const std::vector<std::string> variants = split_commas(o.engines);
  const long long expected_cycles = static_cast<long long>(o.spec.tokens) + o.spec.stages + 1;
  std::printf("streamsim_bench: source -> %d map stages -> sink, %s tokens, FIFO depth 2, L = R = 1, "
              "II = latency = 1%s\n",
              o.spec.stages, with_commas(static_cast<long long>(o.spec.tokens)).c_str(),
              o.spec.library_units ? ", library map units" : "");
  std::printf("best of %d run(s), each in its own process; timing contract: %s cycles; speed = hand-written "
              "wall / variant wall\n\n",
              o.repeat, with_commas(expected_cycles).c_str());
  std::fflush(stdout);

  std::map<std::string, Measurement> best;
  bool wrong = false;
  for (const std::string& v : variants) {
    Measurement b;
    for (int r = 0; r < o.repeat; ++r) {
      Measurement m = measure_in_child(o, v);
      if (!m.available) {
        std::fprintf(stderr, "  %-12s run %d: not available: %s\n", v.c_str(), r + 1, m.error.c_str());
        b = m;
        break;
      }
      std::fprintf(stderr, "  %-12s run %d: %.3f s wall, %.3f s cpu\n", v.c_str(), r + 1, m.wall_seconds,
                   m.cpu_seconds);
      if (!b.available || m.wall_seconds < b.wall_seconds) b = m;
    }
    best[v] = b;
  }

  const Measurement* hand = best.count("handwritten") && best["handwritten"].available ? &best["handwritten"] : nullptr;
  std::printf("%-12s %14s %6s %9s %9s %14s %12s %14s\n", "variant", "cycles", "diff", "wall s", "cpu s",
              "transfers/s", "ns/transfer", "speed vs hand");
  for (const std::string& v : variants) {
    const Measurement& m = best[v];
    if (!m.available) {
      const std::string label = v == "handwritten" ? v : v + " engine";
      std::printf("%s: not available (%s)\n", label.c_str(), m.error.c_str());
      continue;
    }
    const double per_s = static_cast<double>(m.transfers) / m.wall_seconds;
    std::string ratio = hand ? std::to_string(hand->wall_seconds / m.wall_seconds) : std::string("-");
    if (hand) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%.2fx", hand->wall_seconds / m.wall_seconds);
      ratio = buf;
    }
    std::printf("%-12s %14s %+6lld %9.3f %9.3f %12.1f M %12.2f %14s\n", v.c_str(), with_commas(m.cycles).c_str(),
                static_cast<long long>(m.cycles) - expected_cycles, m.wall_seconds, m.cpu_seconds, per_s / 1e6,
                1e9 / per_s, ratio.c_str());
    const bool ok = m.values_ok && m.transfers == o.spec.tokens * static_cast<std::uint64_t>(o.spec.stages + 1);
    if (!ok) {
      wrong = true;
      std::printf("  WRONG RESULT: sink saw %llu of %llu tokens (values %s), %llu transfers\n",
                  static_cast<unsigned long long>(m.sink_count), static_cast<unsigned long long>(o.spec.tokens),
                  m.values_ok ? "as expected" : "NOT as expected", static_cast<unsigned long long>(m.transfers));
    }
  }
  if (hand) {
    std::printf("\ntargets:\n");
    if (best.count("fast") && best["fast"].available) {
      double x = hand->wall_seconds / best["fast"].wall_seconds;
      double xc = hand->cpu_seconds / best["fast"].cpu_seconds;
      std::printf("  fast    >= 20x hand-written SystemC:      %6.2fx wall, %6.2fx cpu  %s\n", x, xc,
                  x >= 20 ? "met" : "MISSED");
    }
    if (best.count("systemc") && best["systemc"].available) {
      double x = hand->wall_seconds / best["systemc"].wall_seconds;
      double xc = hand->cpu_seconds / best["systemc"].cpu_seconds;
      std::printf("  systemc no slower than hand-written:      %6.2fx wall, %6.2fx cpu  %s\n", x, xc,
                  x >= 1 ? "met" : "MISSED");
    }
  }
  return wrong ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"streamsim simulation-core benchmark: fast engine, systemc engine and a hand-written "
               "SystemC model on the same pipeline"};
  app.add_option("--tokens", o.spec.tokens, "tokens the source emits")->check(CLI::PositiveNumber);
  app.add_option("--stages", o.spec.stages, "map stages between source and sink")->check(CLI::Range(1, 10000));
  app.add_option("--engine", o.engines, "comma-separated variants to run: fast, systemc, handwritten");
  app.add_option("--repeat", o.repeat, "runs per variant; the fastest is reported")->check(CLI::Range(1, 100));
  app.add_flag("--library-units", o.spec.library_units,
               "build the pipeline from the operator library's registered types (source, map, sink)");
  app.add_option("--timeout", o.timeout, "seconds one measurement may take before it is killed")
      ->check(CLI::Range(1, 86400));
  app.add_option("--child", o.child, "internal: measure one variant in this process and print it");
  CLI11_PARSE(app, argc, argv);

  for (const std::string& v : split_commas(o.engines)) {
    bool known = false;
    for (const char* k : kVariants) known = known || v == k;
    if (!known) {
      std::fprintf(stderr, "streamsim_bench: unknown variant '%s' in --engine (valid: fast, systemc, handwritten)\n",
                   v.c_str());
      return 2;
    }
  }

  if (!o.child.empty()) {
    // SystemC prints its banner on stdout; the driver only reads the RESULT line, but keep the
    // child's output clean anyway.
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    alarm(static_cast<unsigned>(o.timeout));
    std::cout << to_line(measure_variant(o.child, o.spec)) << std::endl;
    return 0;
  }
  return run_driver(o);
}
