#include "engine/parse/header_grammar.hpp"

#include <algorithm>
#include <array>
#include <cstddef>

namespace waf::engine {
namespace {

// A table: the readers test every byte of every browser header against it.
constexpr std::array<bool, 256> kTokenBytes = [] {
  std::array<bool, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_' || c == '+' || c == '*';
  }
  return t;
}();
constexpr bool is_token_byte(char c) noexcept { return kTokenBytes[static_cast<unsigned char>(c)]; }
constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A cursor over the value; each parse_* consumes what it matched or fails.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const noexcept { return i_ == s_.size(); }
  void blanks() noexcept {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool byte(char c) noexcept {
    if (i_ >= s_.size() || s_[i_] != c) return false;
    ++i_;
    return true;
  }
  bool token() noexcept {
    const std::size_t start = i_;
    while (i_ < s_.size() && is_token_byte(s_[i_])) ++i_;
    return i_ > start;
  }
  // A quoted string of token bytes and blanks: "Windows", "Google Chrome".
  bool quoted() noexcept {
    if (!byte('"')) return false;
    while (i_ < s_.size() && (is_token_byte(s_[i_]) || s_[i_] == ' ')) ++i_;
    return byte('"');
  }
  std::size_t number() noexcept {
    const std::size_t start = i_;
    while (i_ < s_.size() && (is_digit(s_[i_]) || s_[i_] == '.')) ++i_;
    return i_ - start;
  }
  // (token ["/" token] | quoted) ["=" number] *(";" parameter "=" (token | quoted)): a media
  // range, a coding, a language, a directive ("max-age=0") or a structured-field item, with
  // parameters whose names are the well-known ones (an unknown "x;select=1" is left to the detectors).
  bool element() noexcept {
    if (s_.compare(i_, 1, "\"") == 0 ? !quoted() : !token()) return false;
    if (byte('/') && !token()) return false;
    if (byte('=') && number() == 0) return false;
    for (blanks(); byte(';'); blanks()) {
      blanks();
      if (!parameter() || !byte('=') || !(token() || quoted())) return false;
    }
    return true;
  }
  bool parameter() noexcept {
    static constexpr std::string_view kNames[] = {"q", "v", "charset", "boundary", "level", "version", "u"};
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= 'a' && s_[i_] <= 'z') ++i_;
    const std::string_view name = s_.substr(start, i_ - start);
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
  }
  // element *("," element), blanks around the separators.
  bool list() noexcept {
    blanks();
    if (!element()) return false;
    for (blanks(); byte(','); blanks()) {
      blanks();
      if (!element()) return false;
    }
    return done();
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool digits(std::string_view v) noexcept { return !v.empty() && v.size() <= 20 && std::all_of(v.begin(), v.end(), is_digit); }

enum class Grammar { list, single, digits, boolean };

struct Known {
  std::string_view name;
  Grammar grammar;
};
constexpr Known kKnown[] = {
    {"accept", Grammar::list},
    {"accept-charset", Grammar::list},
    {"accept-encoding", Grammar::list},
    {"accept-language", Grammar::list},
    {"cache-control", Grammar::list},
    {"connection", Grammar::list},
    {"content-length", Grammar::digits},
    {"content-type", Grammar::list},
    {"dnt", Grammar::digits},
    {"pragma", Grammar::list},
    {"priority", Grammar::list},
    {"sec-ch-ua", Grammar::list},
    {"sec-ch-ua-mobile", Grammar::boolean},
    {"sec-ch-ua-platform", Grammar::list},
    {"sec-fetch-dest", Grammar::single},
    {"sec-fetch-mode", Grammar::single},
    {"sec-fetch-site", Grammar::single},
    {"sec-fetch-user", Grammar::boolean},
    {"te", Grammar::list},
    {"upgrade-insecure-requests", Grammar::digits},
};

}  // namespace

bool benign_header(std::string_view name, std::string_view value) noexcept {
  const Known* known = nullptr;
  for (const Known& k : kKnown) {
    if (k.name == name) {
      known = &k;
      break;
    }
  }
  if (known == nullptr) return false;
  // A climb or a comment marker is no part of these grammars, except a multipart boundary's dashes.
  if (value.find("..") != std::string_view::npos) return false;
  if (name != "content-type" && value.find("--") != std::string_view::npos) return false;
  switch (known->grammar) {
    case Grammar::digits: return digits(value);
    case Grammar::boolean: return value == "?0" || value == "?1";
    case Grammar::single: {
      Reader r(value);
      return r.token() && r.done();
    }
    case Grammar::list: return Reader(value).list();
  }
  return false;
}

}  // namespace waf::engine
