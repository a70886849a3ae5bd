// Hostile input, scale: graphs far larger than the shipped ones. Loading, validation and the
// fast engine are linear in units + channels; the systemc engine refuses, before spawning
// anything, a graph with more threads than the kernel's memory-mapping limit allows.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <string>

#include "tests/support/run_streamsim.h"
#include "tests/support/scratch_dir.h"

namespace streamsim::testing {
namespace {

// source -> n maps -> sink, 5 tokens.
std::string write_chain(const ScratchDir& dir, int n) {
  const std::string path = dir / ("chain" + std::to_string(n) + ".yaml");
  std::ofstream f(path);
  f << "defaults: {depth: 2}\nunits:\n  - {name: src, type: source, params: {kind: ramp, count: "
       "5}}\n";
  for (int i = 0; i < n; ++i) f << "  - {name: m" << i << ", type: map, params: {op: id}}\n";
  f << "  - {name: out, type: sink}\nchannels:\n";
  std::string prev = "src";
  for (int i = 0; i < n; ++i) {
    f << "  - {from: " << prev << ", to: m" << i << "}\n";
    prev = "m" + std::to_string(i);
  }
  f << "  - {from: " << prev << ", to: out}\n";
  return path;
}

double seconds_to_run(const std::string& args, const std::string& scratch, CliResult& r) {
  const auto start = std::chrono::steady_clock::now();
  r = run_streamsim(args, scratch);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// 120,000 units load, validate and run; ten times the units costs about ten times the time
// (a quadratic step, as the linear name lookup was, makes it ~100 times: the bound is 40).
TEST(HostileScale, A120kUnitChainRunsInLinearTime) {
  ScratchDir dir("hostile-scale");
  const std::string small = write_chain(dir, 12000), large = write_chain(dir, 120000);
  CliResult r;
  const double t_small = seconds_to_run("run -q '" + small + "'", dir.path(), r);
  ASSERT_EQ(r.code, 0) << r.err;
  const double t_large = seconds_to_run("run -q '" + large + "'", dir.path(), r);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_LT(t_large, 40 * std::max(t_small, 0.05))
      << "12k units: " << t_small << " s, 120k: " << t_large << " s";
  r = run_streamsim("validate '" + large + "'", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("120002 units, 120001 channels"), std::string::npos) << r.out;
}

TEST(HostileScale, SystemcRefusesMoreThreadsThanTheKernelMapsBeforeSpawningAny) {
  std::ifstream limit("/proc/sys/vm/max_map_count");
  long long max_maps = 0;
  if (!(limit >> max_maps) || max_maps > 200000) GTEST_SKIP() << "vm.max_map_count is " << max_maps;
  ScratchDir dir("hostile-scale");
  const std::string chain = write_chain(dir, static_cast<int>(max_maps / 2));
  CliResult r = run_streamsim("run -q --engine systemc '" + chain + "'", dir.path());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("vm.max_map_count"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--engine fast"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal"), std::string::npos) << r.err;
  // The fast engine runs the same graph.
  r = run_streamsim("run -q '" + chain + "'", dir.path());
  EXPECT_EQ(r.code, 0) << r.err;
}

// `size` searches every channel; a galloping search keeps that to a few runs per channel.
TEST(HostileScale, SizeOnAThreeHundredChannelChainFinishes) {
  ScratchDir dir("hostile-scale");
  const std::string chain = write_chain(dir, 300);
  CliResult r = run_streamsim("size '" + chain + "'", dir.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("m299.out->out.in"), std::string::npos) << r.out.substr(0, 2000);
}

}  // namespace
}  // namespace streamsim::testing
