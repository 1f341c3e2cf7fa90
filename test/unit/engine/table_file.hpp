#pragma once
// Reading the engine's table-driven testdata: text files of cases, one per line, with C-style
// escapes (\t \n \r \0 \\ \xNN) so that any byte can be written down. Lines starting with '#'
// and blank lines are comments.
#include <doctest/doctest.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace waf::engine::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string testdata(std::string_view relative) { return std::string(WAF_TESTDATA_DIR) + "/" + std::string(relative); }

inline bool update_golden() {
  const char* v = std::getenv("WAF_UPDATE_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

inline std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out.push_back(s[i]);
      continue;
    }
    const char c = s[++i];
    switch (c) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case '0': out.push_back('\0'); break;
      case '\\': out.push_back('\\'); break;
      case 'x':
        if (i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
          out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
          i += 2;
          break;
        }
        [[fallthrough]];
      default:
        out.push_back('\\');
        out.push_back(c);
    }
  }
  return out;
}

inline std::string escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

// Splits each non-comment line at `separator` into fields (not unescaped).
inline std::vector<std::vector<std::string>> read_table(const std::string& path, std::string_view separator) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> fields;
    std::string_view rest = line;
    for (auto at = rest.find(separator); at != std::string_view::npos; at = rest.find(separator)) {
      fields.emplace_back(rest.substr(0, at));
      rest.remove_prefix(at + separator.size());
    }
    fields.emplace_back(rest);
    rows.push_back(std::move(fields));
  }
  return rows;
}

}  // namespace waf::engine::test
