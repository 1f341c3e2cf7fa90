#include "engine/detect/command_injection_prefilter.hpp"

#include <algorithm>
#include <array>

#include "engine/detect/command_injection.hpp"

namespace waf::engine {
namespace {

// A command runs where a shell starts one: after a separator (';', '|', '&', a line break, which
// is a control byte), inside a substitution ('`', "$(", "<(", ">("), a group ('{', "()"), or at
// the start of the value. Names are hidden by quotes, escapes ('\\', cmd.exe's '^') and
// variables ('$'); globs ('*', '?', '[') spell paths to programs; '%' opens cmd.exe variables
// and encodings; '~' expands to directories. A value with none of these bytes can only be a
// command line that starts with a program's name (the leading words), or one of the detector's
// one-liners (the needles). '/', '-' and '.' are left out: every URL, date and sentence has them,
// and no command line needs them without a program name.
constexpr std::string_view kBytes = ";|&`$<>{}'\"\\^*?[%~";

// One-liners found anywhere in a value: "() { :;};" (Shellshock) and fork bombs, reverse shells'
// files ("/dev/tcp/host/port"), cmd.exe ("cmd.exe", "cmd /c", MSSQL's "xp_cmdshell"), PowerShell,
// history references ("!-1") and cmd.exe's string comparison ("if a==b cmd"). Interpreters and
// shells with their options ("bash -i", "python -c '...'") come with a separator, a quote or at
// the start.
constexpr std::string_view kNeedles[] = {"()", "/dev/tcp/", "/dev/udp/", "cmd", "powershell", "!-", "=="};

// Command names the detector reads at the start of a value besides its programs: the first word
// of a hyphenated program ("aa-exec", "ansible-vault", "lwp-download", "invoke-expression"),
// alias definitions and cmd.exe's IF and FOR statements.
constexpr std::string_view kExtraWords[] = {"aa", "ansible", "chef", "lwp", "invoke", "alias", "if", "for"};

// A word of the table is a run of letters, digits, '_' and '$' (prefilter.hpp): a name with other
// bytes ("apt-get") is found through its first word.
constexpr bool word_like(std::string_view w) noexcept {
  for (const char c : w) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !w.empty();
}

// A prefix program that is no program of the main list ("time", "nice", "command").
constexpr bool prefix_only(std::string_view w) noexcept {
  return !std::binary_search(std::begin(command_injection::kPrograms), std::end(command_injection::kPrograms), w);
}

constexpr std::size_t count_words() noexcept {
  std::size_t n = 0;
  for (const auto w : command_injection::kPrograms) n += word_like(w) ? 1U : 0U;
  for (const auto w : command_injection::kPrefixPrograms) n += word_like(w) && prefix_only(w) ? 1U : 0U;
  return n + std::size(kExtraWords);
}

constexpr auto collect_words() noexcept {
  std::array<std::string_view, count_words()> words{};
  std::size_t n = 0;
  for (const auto w : command_injection::kPrograms) {
    if (word_like(w)) words[n++] = w;
  }
  for (const auto w : command_injection::kPrefixPrograms) {
    if (word_like(w) && prefix_only(w)) words[n++] = w;
  }
  for (const auto w : kExtraWords) words[n++] = w;
  return words;
}
constexpr auto kWords = collect_words();
constexpr auto kWordTable = make_word_table<512>(kWords);
static_assert(kWords.size() < kWordTable.size() / 2, "the word table needs free slots");

// Every unparsed body is scanned: a form body without its Content-Type ("code=uname -a").
constexpr Prefilter kCommandInjection =
    with_every_value(with_leading_words(any_of(kBytes, kNeedles), kWordTable), kind_bit(LocationKind::body_text));

}  // namespace

const Prefilter& command_injection_prefilter() noexcept { return kCommandInjection; }

}  // namespace waf::engine
