#pragma once
// Arithmetic on user numbers (times, counts, sizes) that reports overflow instead of wrapping.
// Every product or sum of values a user wrote goes through these before it is trusted: an
// overflow is an error naming what was computed, never a silently wrong number.
#include <cstdint>
#include <optional>
#include <string>

namespace streamsim {

// a + b and a * b, or nullopt when the exact result does not fit the type.
template <typename T>
std::optional<T> checked_add(T a, T b) {
  T r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
template <typename T>
std::optional<T> checked_mul(T a, T b) {
  T r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// a + b and a * b for values >= 0, or INT64_MAX when the result does not fit: for sizes that
// are checked against a bound afterwards (a saturated value is always above it).
inline std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  return checked_add(a, b).value_or(INT64_MAX);
}
inline std::int64_t saturating_mul(std::int64_t a, std::int64_t b) {
  return checked_mul(a, b).value_or(INT64_MAX);
}

// The same, throwing streamsim::Error "<what> overflows: a + b is above <largest>" where
// `what` names the quantity and who computed it, e.g. "unit 'src' (type source): count x width".
std::int64_t add_or_throw(std::int64_t a, std::int64_t b, const std::string& what);
std::int64_t mul_or_throw(std::int64_t a, std::int64_t b, const std::string& what);
std::uint64_t add_or_throw(std::uint64_t a, std::uint64_t b, const std::string& what);
std::uint64_t mul_or_throw(std::uint64_t a, std::uint64_t b, const std::string& what);

// "1099511627776 (2^40)" for a power of two, else the number: limits read exactly in messages.
std::string describe_limit(std::uint64_t value);

}  // namespace streamsim
