#include "sim/units/tensor_file.h"

#include <fstream>

#include "tests/units/units_test_util.h"

namespace streamsim::units {
namespace {

using test::mentions;

std::string write_text(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::string read_error(const std::string& path) {
  try {
    read_tensor_file(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(TensorFile, ReadsShapeCommentsAndMixedSeparators) {
  Tensor t =
      read_tensor_file(write_text("t1.txt", "  # shape: 2 2\n# note\n1.5,-2\n\n 3e1 ,  4 \n"));
  EXPECT_EQ(t.shape, (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(t.values, (std::vector<double>{1.5, -2, 30, 4}));
}

TEST(TensorFile, WithoutHeaderShapeIsEmpty) {
  Tensor t = read_tensor_file(write_text("t2.txt", "1 2 3"));
  EXPECT_TRUE(t.shape.empty());
  EXPECT_EQ(t.values.size(), 3u);
}

TEST(TensorFile, WriteThenReadIsExact) {
  Tensor t{{3}, {0.1, 1.0 / 3.0, -1e-300}};
  std::string path = ::testing::TempDir() + "/t3.txt";
  write_tensor_file(path, t, 2);
  Tensor back = read_tensor_file(path);
  EXPECT_EQ(back.shape, t.shape);
  EXPECT_EQ(back.values, t.values);
}

TEST(TensorFile, ErrorsSayWhereAndWhat) {
  std::string bad = write_text("t4.txt", "1 2\n3 x4\n");
  EXPECT_TRUE(mentions(read_error(bad), "t4.txt:2:3"));
  EXPECT_TRUE(mentions(read_error(bad), "'x4' is not a number"));
  EXPECT_TRUE(mentions(read_error(write_text("t5.txt", "# shape: 2 2\n1 2 3\n")),
                       "promises 4 values but the file holds 3"));
  EXPECT_TRUE(mentions(read_error(write_text("t6.txt", "# shape: 2 b\n")),
                       "'b' is not a non-negative integer"));
  EXPECT_TRUE(mentions(read_error(write_text("t7.txt", "1\n# shape: 1\n")),
                       "must come once, before the first number"));
}

}  // namespace
}  // namespace streamsim::units
