#include "tests/bench/measurement.h"

#include <time.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <sstream>

#include "sim/engines/engine.h"
#include "sim/units/sink.h"
#include "tests/bench/bench_units.h"
#include "tests/bench/handwritten_systemc_pipeline.h"

namespace streamsim::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

Measurement measure_engine(const std::string& engine_name, const PipelineSpec& spec) {
  Measurement m;
  try {
    Graph graph = build_bench_pipeline(spec);
    std::unique_ptr<Engine> engine = make_engine(engine_name);
    // Timed: building the run's units and channels, the run, and collecting statistics.
    const auto start = Clock::now();
    const double cpu_start = cpu_now();
    RunResult r = engine->run(graph);
    m.wall_seconds = seconds_since(start);
    m.cpu_seconds = cpu_now() - cpu_start;
    if (r.status != RunStatus::Finished) {
      m.error = std::string("run ended with status ") + run_status_name(r.status);
      return m;
    }
    m.cycles = r.cycles;
    m.transfers = r.transfers;
    const Unit* sink = r.unit_objects.back().get();
    if (auto* s = dynamic_cast<const CheckingSink*>(sink)) {
      m.sink_count = s->count();
      m.values_ok = s->count() == spec.tokens && s->last() == expected_last_value(spec);
    } else if (auto* ls = dynamic_cast<const units::SinkUnit*>(sink)) {
      m.sink_count = ls->count();
      m.values_ok = ls->count() == spec.tokens && ls->sum() == expected_sum(spec);
    } else {
      m.error = "the last unit of the pipeline is not a sink the bench knows";
      return m;
    }
    m.available = true;
  } catch (const std::exception& e) {
    m.error = e.what();
  }
  return m;
}

Measurement measure_handwritten(const PipelineSpec& spec) {
  Measurement m;
  try {
    const auto start = Clock::now();
    const double cpu_start = cpu_now();
    HandwrittenResult r = run_handwritten_systemc_pipeline(spec.tokens, spec.stages);
    m.wall_seconds = seconds_since(start);
    m.cpu_seconds = cpu_now() - cpu_start;
    m.cycles = r.cycles;
    m.transfers = r.transfers;
    m.sink_count = r.sink_count;
    m.values_ok = r.sink_count == spec.tokens && r.sink_last == expected_last_value(spec);
    m.available = true;
  } catch (const std::exception& e) {
    m.error = e.what();
  }
  return m;
}

}  // namespace

Measurement measure_variant(const std::string& variant, const PipelineSpec& spec) {
  if (variant == "handwritten") return measure_handwritten(spec);
  return measure_engine(variant, spec);
}

std::string to_line(const Measurement& m) {
  char buf[256];
  if (!m.available) {
    std::string msg = m.error;
    for (char& c : msg)
      if (c == '\n') c = ' ';
    return "UNAVAILABLE " + msg;
  }
  std::snprintf(buf, sizeof(buf), "RESULT %lld %.9f %.9f %llu %llu %d", static_cast<long long>(m.cycles),
                m.wall_seconds, m.cpu_seconds, static_cast<unsigned long long>(m.transfers),
                static_cast<unsigned long long>(m.sink_count), m.values_ok ? 1 : 0);
  return buf;
}

Measurement from_output(const std::string& out, const std::string& fallback_error) {
  Measurement m;
  m.error = fallback_error;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("UNAVAILABLE ", 0) == 0) {
      m.error = line.substr(12);
      return m;
    }
    if (line.rfind("RESULT ", 0) != 0) continue;  // e.g. a banner printed by a library
    std::istringstream f(line.substr(7));
    long long cycles = 0;
    unsigned long long transfers = 0, count = 0;
    int ok = 0;
    if (f >> cycles >> m.wall_seconds >> m.cpu_seconds >> transfers >> count >> ok) {
      m.values_ok = ok == 1;
      m.cycles = cycles;
      m.transfers = transfers;
      m.sink_count = count;
      m.available = true;
      m.error.clear();
    } else {
      m.error = "unreadable result line: " + line;
    }
    return m;
  }
  return m;
}

}  // namespace streamsim::bench
