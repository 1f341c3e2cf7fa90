#pragma once
// The one list of decoders, in the order the chain applies them.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "engine/decode/byte_set.hpp"
#include "engine/decode/decoder.hpp"
#include "engine/value.hpp"

namespace waf::engine {

using KindMask = std::uint32_t;
constexpr KindMask kind_bit(LocationKind kind) noexcept { return KindMask{1} << static_cast<unsigned>(kind); }

struct DecoderEntry {
  std::string_view key;  // registry key = file name ("percent", "html_entity")
  std::unique_ptr<Decoder> (*make)();
  KindMask kinds;        // the locations whose grammar this encoding can appear in
  bool once;             // applied in the first round only (see plus.hpp)
  ByteSet triggers;      // the decoder can only change a value containing one of these; empty: any
  ByteSet alphabet;      // nor one with a byte outside these (base64); empty: any
};

std::span<const DecoderEntry> decoder_registry() noexcept;

}  // namespace waf::engine
