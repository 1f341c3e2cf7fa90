#include "engine/decode/decode_chain.hpp"

namespace waf::engine {

DecodeChain::DecodeChain(std::span<const DecoderEntry> entries) {
  steps_.reserve(entries.size());
  for (const auto& e : entries) steps_.push_back(Step{e.make(), e.kinds, e.once, e.triggers, e.alphabet});
}

bool DecodeChain::decode(LocationKind kind, std::string_view raw, std::string& out) const {
  return decode(kind, raw, ByteSet(raw), out);
}

bool DecodeChain::decode(LocationKind kind, std::string_view raw, const ByteSet& raw_bytes, std::string& out) const {
  const KindMask bit = kind_bit(kind);
  bool changed = false;
  ByteSet bytes = raw_bytes;
  std::string scratch;
  for (std::size_t round = 0; round < kMaxDecodeRounds; ++round) {
    bool round_changed = false;
    for (const auto& step : steps_) {
      if ((step.kinds & bit) == 0 || (step.once && round > 0)) continue;
      if (!step.triggers.empty() && !step.triggers.intersects(bytes)) continue;
      if (!step.alphabet.empty() && !bytes.subset_of(step.alphabet)) continue;
      const std::string_view current = changed ? std::string_view(out) : raw;
      if (step.decoder->decode(current, scratch)) {
        out.swap(scratch);
        bytes = ByteSet(out);
        changed = true;
        round_changed = true;
      }
    }
    if (!round_changed) break;
  }
  return changed && out != raw;
}

}  // namespace waf::engine
