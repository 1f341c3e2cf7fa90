#pragma once
// Applies the registered decoders to a value until nothing changes (a fixpoint), for at most
// kMaxDecodeRounds rounds: enough for double and triple encoding, bounded for hostile input.
#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/decode/registry.hpp"

namespace waf::engine {

inline constexpr std::size_t kMaxDecodeRounds = 4;

class DecodeChain {
 public:
  // Instantiates every decoder of `entries` (the registry by default), in order.
  explicit DecodeChain(std::span<const DecoderEntry> entries = decoder_registry());

  // Decodes `raw` as found at a location of `kind` into `out`. Returns false (and leaves `out`
  // unspecified) when no decoder changed anything, the common case, which costs no allocation.
  bool decode(LocationKind kind, std::string_view raw, std::string& out) const;
  // Same, with the bytes of `raw` already known (the engine computes them for its prefilter) and
  // a `scratch` buffer the caller reuses across values, so that decoding allocates nothing once
  // the buffers have grown. When this returns true, `out_bytes` holds the bytes of `out`, which
  // the rounds computed anyway (unspecified otherwise: most values are not copied into it).
  bool decode(LocationKind kind, std::string_view raw, const ByteSet& raw_bytes, std::string& out, ByteSet& out_bytes,
              std::string& scratch) const;
  // decode() returns false for every value of `kind` made only of bytes from `bytes` and shorter
  // than this (0: no such guarantee), so a caller may skip it for them.
  std::size_t unchanged_below(LocationKind kind, const ByteSet& bytes) const noexcept;

 private:
  struct Step {
    std::unique_ptr<Decoder> decoder;
    KindMask kinds;
    bool once;
    ByteSet triggers;
    ByteSet alphabet;
    bool has_triggers;  // !triggers.empty(), once
    bool has_alphabet;  // !alphabet.empty(), once
  };
  // What can start a decoding at one kind of location: almost no value has any trigger byte,
  // and a test of its bytes against this gate spares the walk over every step.
  struct Gate {
    ByteSet triggers;                   // the union of the triggers of the steps for this kind
    std::vector<std::size_t> alphabet;  // the trigger-free steps with an alphabet (base64), in order
    std::size_t alphabet_min_size = 0;  // the shortest value one of those can change
    std::vector<std::size_t> steps;     // every step for this kind, in order
    bool always = false;                // a step for this kind has neither: it may change anything
  };
  bool fits_an_alphabet(const Gate& gate, const ByteSet& bytes) const noexcept;
  // The rounds, once the gate lets a value through: out of line, so that the values the gate
  // stops, almost all of them, do not pay for the registers the rounds use.
  bool run(const Gate& gate, std::string_view raw, const ByteSet& raw_bytes, std::string& out, ByteSet& bytes,
           std::string& scratch) const;

  std::vector<Step> steps_;
  std::array<Gate, kLocationKinds> gates_;
};

}  // namespace waf::engine
