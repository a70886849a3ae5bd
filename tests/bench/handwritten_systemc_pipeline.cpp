#include "tests/bench/handwritten_systemc_pipeline.h"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>

namespace streamsim::bench {

namespace {

using sc_core::sc_fifo;
using sc_core::sc_fifo_in;
using sc_core::sc_fifo_out;
using sc_core::sc_module_name;
using sc_core::sc_time;

// One cycle. A function, not a global: constructing an sc_time at program start would fix
// SystemC's time resolution before the systemc engine (in other child processes of the bench)
// could set its own.
const sc_time& cycle() {
  static const sc_time c(1, sc_core::SC_NS);
  return c;
}

struct HwSource : sc_core::sc_module {
  sc_fifo_out<double> out;
  std::uint64_t count;

  SC_HAS_PROCESS(HwSource);
  HwSource(sc_module_name name, std::uint64_t n) : sc_module(name), count(n) { SC_THREAD(run); }
  void run() {
    for (std::uint64_t i = 0; i < count; ++i) {
      wait(cycle());  // registered output: the token appears one cycle after it is made
      out.write(static_cast<double>(i));
    }
  }
};

struct HwMap : sc_core::sc_module {
  sc_fifo_in<double> in;
  sc_fifo_out<double> out;
  std::uint64_t reads = 0;

  SC_HAS_PROCESS(HwMap);
  explicit HwMap(sc_module_name name) : sc_module(name) { SC_THREAD(run); }
  void run() {
    for (;;) {
      double v = in.read();
      ++reads;
      wait(cycle());
      out.write(v + 1.0);
    }
  }
};

struct HwSink : sc_core::sc_module {
  sc_fifo_in<double> in;
  std::uint64_t count;
  std::uint64_t reads = 0;
  double last = -1;
  sc_time end;

  SC_HAS_PROCESS(HwSink);
  HwSink(sc_module_name name, std::uint64_t n) : sc_module(name), count(n) { SC_THREAD(run); }
  void run() {
    for (std::uint64_t i = 0; i < count; ++i) {
      last = in.read();
      ++reads;
      wait(cycle());
    }
    end = sc_core::sc_time_stamp();
    sc_core::sc_stop();
  }
};

}  // namespace

HandwrittenResult run_handwritten_systemc_pipeline(std::uint64_t tokens, int stages) {
  static bool ran = false;
  if (ran) throw std::logic_error("the hand-written SystemC pipeline can run once per process");
  ran = true;

  // The modules are deliberately never destroyed: the SystemC kernel keeps pointers to them
  // until the process exits, and it cannot be run a second time anyway.
  auto* source = new HwSource("source", tokens);
  auto* sink = new HwSink("sink", tokens);
  std::vector<HwMap*> maps;
  std::vector<sc_fifo<double>*> fifos;
  for (int i = 0; i <= stages; ++i)
    fifos.push_back(new sc_fifo<double>(("fifo" + std::to_string(i)).c_str(), 2));
  source->out(*fifos[0]);
  for (int i = 0; i < stages; ++i) {
    maps.push_back(new HwMap(("map" + std::to_string(i)).c_str()));
    maps.back()->in(*fifos[i]);
    maps.back()->out(*fifos[i + 1]);
  }
  sink->in(*fifos[stages]);

  sc_core::sc_start();

  HandwrittenResult r;
  r.cycles = static_cast<std::int64_t>(sink->end.value() / cycle().value());
  r.sink_count = sink->reads;
  r.sink_last = sink->last;
  r.transfers = sink->reads;
  for (HwMap* m : maps) r.transfers += m->reads;
  return r;
}

}  // namespace streamsim::bench

// libsystemc.so brings its own main() that calls sc_main(); this executable has its own main()
// and starts the kernel with sc_start() directly, so sc_main is never called. It is defined
// only to satisfy the shared library's reference, and weak so that a definition elsewhere in
// streamsim (e.g. by the systemc engine) takes precedence without a clash.
extern "C" __attribute__((weak)) int sc_main(int, char*[]) {
  std::fprintf(stderr, "streamsim_bench: sc_main is not an entry point of this program\n");
  return 1;
}
