#pragma once
// CRC-32 (IEEE 802.3, the zlib/PNG polynomial) of the log's records: detects a torn or corrupted
// tail after a crash. Table-driven; the log is written at disk speed, not CPU speed.
#include <cstdint>
#include <string_view>

namespace waf::postanalytics {

std::uint32_t crc32(std::string_view data) noexcept;

}  // namespace waf::postanalytics
