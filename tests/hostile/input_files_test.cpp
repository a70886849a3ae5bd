// Hostile input files: what is not a regular file (a directory, /dev/zero, a FIFO), a file over
// the size cap, and torn or forged sweep point records, for every kind of input streamsim
// reads (architecture YAML, cascades, spatial files, studies, tensor files, point records).
// Each must be refused at once, naming the file and the real problem (docs/limits.md).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/hostile/hostile_support.h"
#include "tests/support/scratch_dir.h"

namespace streamsim::testing {
namespace {

namespace fs = std::filesystem;

const char* kTinyArchitecture = R"(params:
  n: 4
units:
  - {name: src, type: source, params: {kind: ramp, count: "${n}"}}
  - {name: dst, type: sink}
channels:
  - {from: src.out, to: dst.in, depth: 2}
)";

TEST(HostileInputFiles, DirectoryAsArchitectureIsNamedADirectory) {
  ScratchDir dir("hostile-dir");
  fs::create_directories(dir / "arch.yaml");
  auto r = run_bounded("run " + (dir / "arch.yaml"), dir.path());
  expect_refusal(r, dir / "arch.yaml", "it is a directory, not a regular file");
}

TEST(HostileInputFiles, DevZeroAsArchitectureIsRefusedNotRead) {
  ScratchDir dir("hostile-zero");
  auto r = run_bounded("validate /dev/zero", dir.path());
  expect_refusal(r, "/dev/zero: cannot read the architecture file", "a character device");
}

TEST(HostileInputFiles, FifoAsArchitectureDoesNotWaitForAWriter) {
  ScratchDir dir("hostile-fifo");
  ASSERT_EQ(::mkfifo((dir / "arch.yaml").c_str(), 0600), 0);
  auto r = run_bounded("run " + (dir / "arch.yaml"), dir.path(), 30);
  expect_refusal(r, dir / "arch.yaml", "a FIFO (named pipe)");
}

TEST(HostileInputFiles, ArchitectureOverTheSizeCapNamesTheLimitAndItsVariable) {
  ScratchDir dir("hostile-big");
  const std::string path =
      dir.write("arch.yaml", kTinyArchitecture + std::string(4000, '#') + "\n");
  {
    EnvVar cap("STREAMSIM_MAX_INPUT_BYTES", "1000");
    auto r = run_bounded("validate " + path, dir.path());
    expect_refusal(r, path, "over the input size limit of 1000 bytes");
    EXPECT_NE(r.err.find("STREAMSIM_MAX_INPUT_BYTES"), std::string::npos) << r.err;
  }
  EnvVar uncapped("STREAMSIM_MAX_INPUT_BYTES", std::nullopt);
  EXPECT_EQ(run_bounded("validate " + path, dir.path()).code, 0);  // the default cap admits it
}

TEST(HostileInputFiles, MalformedSizeCapVariableIsAnError) {
  ScratchDir dir("hostile-cap");
  const std::string path = dir.write("arch.yaml", kTinyArchitecture);
  EnvVar cap("STREAMSIM_MAX_INPUT_BYTES", "64MB");
  expect_refusal(run_bounded("validate " + path, dir.path()), "STREAMSIM_MAX_INPUT_BYTES='64MB'",
                 "expected a positive number of bytes");
}

TEST(HostileInputFiles, DirectoryAsCascadeIsNamedADirectory) {
  ScratchDir dir("hostile-cascade-dir");
  fs::create_directories(dir / "c.cascade");
  expect_refusal(run_bounded("passes " + (dir / "c.cascade"), dir.path()), dir / "c.cascade",
                 "cannot read the cascade file: it is a directory");
}

TEST(HostileInputFiles, DevUrandomAsCascadeIsRefusedNotRead) {
  ScratchDir dir("hostile-cascade-urandom");
  expect_refusal(run_bounded("passes /dev/urandom", dir.path()), "/dev/urandom",
                 "cannot read the cascade file: it is a character device");
}

TEST(HostileInputFiles, DevZeroAsSourceTensorFileNamesTheUnitParameter) {
  ScratchDir dir("hostile-tensor");
  const std::string path = dir.write("arch.yaml", R"(units:
  - {name: src, type: source, params: {kind: file, file: /dev/zero}}
  - {name: dst, type: sink}
channels:
  - {from: src.out, to: dst.in}
)");
  expect_refusal(run_bounded("run " + path, dir.path()), "/dev/zero: cannot read the tensor file",
                 "a character device");
}

TEST(HostileInputFiles, DirectoryAsSinkExpectFileIsNamedADirectory) {
  ScratchDir dir("hostile-expect");
  fs::create_directories(dir / "expected.txt");
  const std::string path = dir.write("arch.yaml", R"(units:
  - {name: src, type: source, params: {kind: ramp, count: 4}}
  - {name: dst, type: sink, params: {expect_file: )" + (dir / "expected.txt") +
                                                      R"(}}
channels:
  - {from: src.out, to: dst.in}
)");
  expect_refusal(run_bounded("run " + path, dir.path()), dir / "expected.txt", "it is a directory");
}

TEST(HostileInputFiles, FifoAsStudyIsRefusedAndNothingIsWritten) {
  ScratchDir dir("hostile-study-fifo");
  ASSERT_EQ(::mkfifo((dir / "study.yaml").c_str(), 0600), 0);
  auto r = run_bounded("sweep " + (dir / "study.yaml") + " --out " + (dir / "out"), dir.path(), 30);
  expect_refusal(r, dir / "study.yaml", "a FIFO (named pipe)");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(HostileInputFiles, DevZeroAsSpatialArchitectureIsRefused) {
  ScratchDir dir("hostile-spatial-arch");
  expect_refusal(
      run_bounded("spatial configs/spatial/fusemax.yaml --arch /dev/zero --seq 64", dir.path()),
      "/dev/zero: cannot read the spatial architecture file", "a character device");
}

TEST(HostileInputFiles, DirectoryAsSpatialMappingIsRefused) {
  ScratchDir dir("hostile-spatial-mapping");
  fs::create_directories(dir / "mapping.yaml");
  expect_refusal(run_bounded("spatial " + (dir / "mapping.yaml") +
                                 " --arch configs/spatial/cloud.yaml --seq 64",
                             dir.path()),
                 dir / "mapping.yaml", "cannot read the mapping file: it is a directory");
}

// A sweep over two points of a tiny architecture, run once so that DIR/points holds records.
class HostileSweepRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("arch.yaml", kTinyArchitecture);
    study_ = dir_.write("study.yaml", "config: arch.yaml\ngrid:\n  n: [2, 3]\n");
    auto first = run_bounded(sweep_args(), dir_.path());
    ASSERT_EQ(first.code, 0) << first.err;
    for (const auto& e : fs::directory_iterator(dir_ / "out/points"))
      if (e.path().extension() == ".json") record_ = e.path().string();
    ASSERT_FALSE(record_.empty());
  }
  std::string sweep_args() const {
    return "sweep " + study_ + " --out " + (dir_ / "out") + " -j 1";
  }

  ScratchDir dir_{"hostile-records"};
  std::string study_, record_;
};

TEST_F(HostileSweepRecords, DeeplyNestedRecordIsRedoneNotACrash) {
  dir_.write("out/points/" + fs::path(record_).filename().string(),
             std::string(200000, '[') + std::string(200000, ']'));
  auto r = run_bounded(sweep_args(), dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("nested more than 64 levels deep"), std::string::npos) << r.err;
  EXPECT_NE(slurp(record_).find("streamsim-sweep-point"), std::string::npos);  // rewritten
}

TEST_F(HostileSweepRecords, RecordWithFieldsOfTheWrongTypeIsRedoneNotACrash) {
  // The right format and a valid checksum (anyone can compute one), but `id` a number.
  std::string text = slurp(record_);
  auto id = text.find("\"id\":");
  ASSERT_NE(id, std::string::npos);
  auto end = text.find(',', id);
  text = text.substr(0, id) + "\"id\": 7" + text.substr(end);
  dir_.write("out/points/" + fs::path(record_).filename().string(), text);
  auto r = run_bounded(sweep_args(), dir_.path());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("redoing point"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("type_error"), std::string::npos) << r.err;  // not leaked as a crash
}

TEST_F(HostileSweepRecords, MergeOfADeeplyNestedRecordNamesIt) {
  const std::string name = fs::path(record_).filename().string();
  dir_.write("out/points/" + name, std::string(200000, '[') + "\n");
  auto r = run_bounded("merge " + (dir_ / "out") + " --out " + (dir_ / "merged"), dir_.path());
  EXPECT_EQ(r.code, 1) << r.err;  // a point is missing from the merged results
  EXPECT_NE(r.err.find(name + ": nested more than 64 levels deep"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("terminate"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace streamsim::testing
