#pragma once
// How much memory a run may set aside before it starts (docs/limits.md, "Memory estimate").
// Whatever is allocated in proportion to user numbers (FIFO rings: depth x width, a unit's
// held tokens, generated tensors) is estimated and checked against this limit first, so that
// a mistyped width or depth is an error naming the channel or unit and the bytes, not a
// machine swapping for minutes.
#include <cstdint>
#include <string>

namespace streamsim {

// The limit in bytes: set_memory_limit's value if called, else the environment variable
// STREAMSIM_MEMORY_LIMIT (parse_byte_size), else half of the machine's physical memory.
std::uint64_t memory_limit();
// Where the limit came from, for messages: "--memory-limit", "STREAMSIM_MEMORY_LIMIT" or
// "50% of physical memory".
std::string memory_limit_source();
void set_memory_limit(std::uint64_t bytes, const std::string& source);

// "12G", "512M", "64k", "1.5G" (powers of 1024; a plain number is bytes) -> bytes. Throws
// Error naming `what` (the option or variable) on anything else.
std::uint64_t parse_byte_size(const std::string& text, const std::string& what);
// "1.50 GiB (1610612736 bytes)".
std::string describe_bytes(std::uint64_t bytes);

// Throws Error "<what> needs <bytes>, above the memory limit ..." if bytes > memory_limit().
void check_allocation(std::uint64_t bytes, const std::string& what);

}  // namespace streamsim
