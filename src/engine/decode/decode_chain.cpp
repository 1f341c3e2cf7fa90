#include "engine/decode/decode_chain.hpp"

#include <algorithm>
#include <limits>

namespace waf::engine {

DecodeChain::DecodeChain(std::span<const DecoderEntry> entries) {
  steps_.reserve(entries.size());
  for (const auto& e : entries) {
    steps_.push_back(Step{e.make(), e.kinds, e.once, e.triggers, e.alphabet, !e.triggers.empty(), !e.alphabet.empty()});
  }
  for (std::size_t k = 0; k < kLocationKinds; ++k) {
    Gate& gate = gates_[k];
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      if ((step.kinds & kind_bit(static_cast<LocationKind>(k))) == 0) continue;
      gate.steps.push_back(i);
      if (!step.triggers.empty()) gate.triggers.add(step.triggers);
      else if (!step.alphabet.empty()) {
        gate.alphabet_min_size = gate.alphabet.empty() ? step.decoder->min_size()
                                                       : std::min(gate.alphabet_min_size, step.decoder->min_size());
        gate.alphabet.push_back(i);
      } else gate.always = true;
    }
  }
}

bool DecodeChain::fits_an_alphabet(const Gate& gate, const ByteSet& bytes) const noexcept {
  for (const std::size_t i : gate.alphabet) {
    if (bytes.subset_of(steps_[i].alphabet)) return true;
  }
  return false;
}

std::size_t DecodeChain::unchanged_below(LocationKind kind, const ByteSet& bytes) const noexcept {
  const Gate& gate = gates_[static_cast<std::size_t>(kind)];
  if (gate.always || gate.triggers.intersects(bytes)) return 0;
  // An alphabet step may act on any subset of its alphabet, from its minimum size on.
  return gate.alphabet.empty() ? std::numeric_limits<std::size_t>::max() : gate.alphabet_min_size;
}

bool DecodeChain::decode(LocationKind kind, std::string_view raw, std::string& out) const {
  std::string scratch;
  ByteSet out_bytes;
  return decode(kind, raw, ByteSet(raw), out, out_bytes, scratch);
}

bool DecodeChain::decode(LocationKind kind, std::string_view raw, const ByteSet& bytes, std::string& out,
                         ByteSet& out_bytes, std::string& scratch) const {
  // Without a trigger byte only the alphabet steps can act in the first round, each on the raw
  // value while none has changed it; when none does, nothing changes and the chain is done. Most
  // values end here: no trigger, and either a byte outside base64 or too short to be any.
  const Gate& gate = gates_[static_cast<std::size_t>(kind)];
  if (!gate.always && !gate.triggers.intersects(bytes)) {
    bool any = false;
    for (const std::size_t i : gate.alphabet) {
      any = bytes.subset_of(steps_[i].alphabet) && steps_[i].decoder->decode(raw, scratch);
      if (any) break;
    }
    if (!any) return false;
  }
  return run(gate, raw, bytes, out, out_bytes, scratch);
}

bool DecodeChain::run(const Gate& gate, std::string_view raw, const ByteSet& raw_bytes, std::string& out, ByteSet& bytes,
                      std::string& scratch) const {
  bytes = raw_bytes;
  bool changed = false;
  for (std::size_t round = 0; round < kMaxDecodeRounds; ++round) {
    // A later round needs a step that the decoded bytes can still trigger ("a+b" -> "a b" is done).
    if (round > 0 && !gate.always && !gate.triggers.intersects(bytes) && !fits_an_alphabet(gate, bytes)) break;
    bool round_changed = false;
    for (const std::size_t i : gate.steps) {
      const Step& step = steps_[i];
      if (step.once && round > 0) continue;
      if (step.has_triggers && !step.triggers.intersects(bytes)) continue;
      if (step.has_alphabet && !bytes.subset_of(step.alphabet)) continue;
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
