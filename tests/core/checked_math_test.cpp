// The checked arithmetic every product or sum of user numbers goes through, and the memory
// limit's parsing: overflow is reported, never wrapped.
#include "sim/core/checked_math.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "sim/core/channel_state.h"
#include "sim/core/error.h"
#include "sim/core/memory_limit.h"
#include "sim/core/time_limits.h"

namespace streamsim {
namespace {

std::string error_of(void (*f)()) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(CheckedMath, AddAndMulReturnTheExactResultOrNothing) {
  EXPECT_EQ(checked_add<std::int64_t>(INT64_MAX - 1, 1), INT64_MAX);
  EXPECT_FALSE(checked_add<std::int64_t>(INT64_MAX, 1));
  EXPECT_FALSE(checked_add<std::int64_t>(INT64_MIN, -1));
  EXPECT_EQ(checked_mul<std::int64_t>(Cycle{1} << 31, Cycle{1} << 31), Cycle{1} << 62);
  EXPECT_FALSE(checked_mul<std::int64_t>(Cycle{1} << 32, Cycle{1} << 31));
  EXPECT_FALSE(checked_mul<std::uint64_t>(std::uint64_t{1} << 32, std::uint64_t{1} << 32));
  EXPECT_EQ(checked_mul<std::uint64_t>(std::uint64_t{1} << 32, (std::uint64_t{1} << 32) - 1),
            (std::uint64_t{1} << 32) * ((std::uint64_t{1} << 32) - 1));
}

TEST(CheckedMath, SaturatingOperationsStopAtInt64Max) {
  EXPECT_EQ(saturating_add(INT64_MAX - 5, 3), INT64_MAX - 2);
  EXPECT_EQ(saturating_add(INT64_MAX - 5, 6), INT64_MAX);
  EXPECT_EQ(saturating_mul(Cycle{1} << 40, Cycle{1} << 30), INT64_MAX);
  EXPECT_EQ(saturating_mul(3, 7), 21);
}

TEST(CheckedMath, ThrowingFormsNameWhatWasComputedAndTheOperands) {
  const std::string e = error_of(
      [] { mul_or_throw(std::int64_t{1} << 40, std::int64_t{1} << 30, "tiles x cycles"); });
  EXPECT_NE(e.find("tiles x cycles overflows: 1099511627776 x 1073741824"), std::string::npos) << e;
  EXPECT_NE(e.find("9223372036854775807"), std::string::npos) << e;
  EXPECT_EQ(add_or_throw(std::uint64_t{1}, std::uint64_t{2}, "x"), 3u);
  EXPECT_NE(
      error_of([] { add_or_throw(UINT64_MAX, std::uint64_t{1}, "bytes"); }).find("bytes overflows"),
      std::string::npos);
}

TEST(CheckedMath, LimitsPrintAsPowersOfTwo) {
  EXPECT_EQ(describe_limit(std::uint64_t{1} << 40), "1099511627776 (2^40)");
  EXPECT_EQ(describe_limit(1000), "1000");
}

TEST(TimeLimits, TheHorizonPlusTwiceTheDelaySumFitsInACycle) {
  // The engines add without checks because of this (sim/core/time_limits.h).
  EXPECT_TRUE(checked_add(kMaxTime, 2 * kMaxDelaySum).has_value());
  EXPECT_LE(kMaxTime + 2 * kMaxDelaySum, INT64_MAX - (Cycle{1} << 56));
  EXPECT_LE(2 * kMaxDelay, kMaxDelaySum);
}

TEST(MemoryLimit, ByteSizesTakePowerOf1024Suffixes) {
  EXPECT_EQ(parse_byte_size("123", "x"), 123u);
  EXPECT_EQ(parse_byte_size("64k", "x"), 65536u);
  EXPECT_EQ(parse_byte_size("8G", "x"), std::uint64_t{8} << 30);
  EXPECT_EQ(parse_byte_size("8GiB", "x"), std::uint64_t{8} << 30);
  EXPECT_EQ(parse_byte_size("1.5M", "x"), std::uint64_t{3} << 19);
  EXPECT_EQ(parse_byte_size("2T", "x"), std::uint64_t{2} << 40);
  for (const char* bad : {"", "lots", "8X", "-1G", "0", "1e30", "nan"}) {
    try {
      parse_byte_size(bad, "--memory-limit");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("--memory-limit: '" + std::string(bad) + "'"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(MemoryLimit, CheckAllocationNamesTheBytesTheLimitAndItsSource) {
  set_memory_limit(std::uint64_t{1} << 20, "--memory-limit");
  EXPECT_NO_THROW(check_allocation(std::uint64_t{1} << 20, "x"));
  try {
    check_allocation((std::uint64_t{1} << 20) + 1, "channel 'a->b'");
    ADD_FAILURE();
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("channel 'a->b' needs 1.00 MiB (1048577 bytes)"), std::string::npos) << m;
    EXPECT_NE(m.find("memory limit of 1.00 MiB (1048576 bytes) (--memory-limit)"),
              std::string::npos)
        << m;
  }
  set_memory_limit(std::uint64_t{1} << 62, "test");
}

TEST(MemoryLimit, AChannelsStorageIsItsSlotsTimesTimesAndTokens) {
  // Depth 1000 -> 1024 slots of 32 bytes of times and 8 x width bytes of values.
  EXPECT_EQ(ChannelState::storage_bytes(1000, 1000000), std::uint64_t{1024} * (32 + 8000000));
  EXPECT_EQ(ChannelState::storage_bytes(1, 1), 2u * 40u);
  // Saturates rather than wraps: any limit refuses it.
  EXPECT_EQ(ChannelState::storage_bytes(Cycle{1} << 62, 1 << 30), UINT64_MAX);
}

}  // namespace
}  // namespace streamsim
