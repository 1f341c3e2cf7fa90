#include "engine/parse/xml.hpp"

#include <string>
#include <vector>

namespace waf::engine {
namespace {

constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

class XmlReader {
 public:
  XmlReader(std::string_view text, std::string_view prefix, ValueCollector& out)
      : text_(text), out_(out), path_(prefix) {}

  void run() {
    while (pos_ < text_.size() && !out_.exhausted()) {
      const auto lt = text_.find('<', pos_);
      emit_text(text_.substr(pos_, lt == std::string_view::npos ? std::string_view::npos : lt - pos_));
      if (lt == std::string_view::npos) return;
      pos_ = lt;
      const std::string_view rest = text_.substr(pos_);
      if (rest.starts_with("<!--")) {
        skip_past("-->");
      } else if (rest.starts_with("<![CDATA[")) {
        const auto end = text_.find("]]>", pos_ + 9);
        emit_text(text_.substr(pos_ + 9, end == std::string_view::npos ? std::string_view::npos : end - pos_ - 9));
        pos_ = end == std::string_view::npos ? text_.size() : end + 3;
      } else if (rest.starts_with("<!")) {
        read_declaration();
      } else if (rest.starts_with("<?")) {
        skip_past("?>");
      } else if (rest.starts_with("</")) {
        skip_past(">");
        close_element();
      } else if (rest.size() > 1 && !is_space(rest[1]) && rest[1] != '>' && rest[1] != '<') {
        read_start_tag();
      } else {
        // A '<' that starts no markup ("a < b") is text.
        const auto next = text_.find('<', pos_ + 1);
        emit_text(text_.substr(pos_, next == std::string_view::npos ? std::string_view::npos : next - pos_));
        pos_ = next == std::string_view::npos ? text_.size() : next;
      }
    }
  }

 private:
  void skip_past(std::string_view end) {
    const auto at = text_.find(end, pos_);
    pos_ = at == std::string_view::npos ? text_.size() : at + end.size();
  }

  void emit_text(std::string_view text) {
    text = trim(text);
    if (!text.empty()) out_.add(LocationKind::xml_text, path_, text);
  }

  // <!DOCTYPE root [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]> and stray <!ENTITY ...>: up to
  // the '>' that is outside the internal subset and outside quotes.
  void read_declaration() {
    const std::size_t start = pos_;
    int bracket = 0;
    char quote = 0;
    std::size_t i = pos_ + 2;
    for (; i < text_.size(); ++i) {
      const char c = text_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        ++bracket;
      } else if (c == ']') {
        if (bracket > 0) --bracket;
      } else if (c == '>' && bracket == 0) {
        break;
      }
    }
    pos_ = i < text_.size() ? i + 1 : text_.size();
    std::string location = path_;
    append_location(location, "!doctype");
    out_.add(LocationKind::xml_doctype, location, text_.substr(start, pos_ - start));
  }

  void read_start_tag() {
    std::size_t i = pos_ + 1;
    const std::size_t name_start = i;
    while (i < text_.size() && !is_space(text_[i]) && text_[i] != '>' && text_[i] != '/') ++i;
    open_element(text_.substr(name_start, i - name_start));
    bool self_closing = false;
    while (i < text_.size()) {
      while (i < text_.size() && is_space(text_[i])) ++i;
      if (i >= text_.size()) break;
      if (text_[i] == '>') {
        ++i;
        break;
      }
      if (text_[i] == '/') {
        self_closing = true;
        ++i;
        continue;
      }
      i = read_attribute(i);
    }
    pos_ = i;
    if (self_closing) close_element();
  }

  // Reads name="value" at i; returns the position after it.
  std::size_t read_attribute(std::size_t i) {
    const std::size_t name_start = i;
    while (i < text_.size() && !is_space(text_[i]) && text_[i] != '=' && text_[i] != '>' && text_[i] != '/') ++i;
    const std::string_view name = text_.substr(name_start, i - name_start);
    while (i < text_.size() && is_space(text_[i])) ++i;
    if (i >= text_.size() || text_[i] != '=') return name.empty() ? i + 1 : i;
    ++i;
    while (i < text_.size() && is_space(text_[i])) ++i;
    std::string_view value;
    if (i < text_.size() && (text_[i] == '"' || text_[i] == '\'')) {
      const auto close = text_.find(text_[i], i + 1);
      const std::size_t end = close == std::string_view::npos ? text_.size() : close;
      value = text_.substr(i + 1, end - i - 1);
      i = close == std::string_view::npos ? text_.size() : close + 1;
    } else {
      const std::size_t start = i;
      while (i < text_.size() && !is_space(text_[i]) && text_[i] != '>') ++i;
      value = text_.substr(start, i - start);
    }
    std::string location = path_;
    if (location.size() < kMaxLocationBytes) location += "@" + std::string(name.substr(0, kMaxLocationBytes));
    out_.add(LocationKind::xml_text, location, value);
    return i;
  }

  void open_element(std::string_view name) {
    opened_.push_back(path_.size());
    if (opened_.size() > out_.limits().max_depth) {
      // Deeper elements report at the deepest location kept.
      out_.mark_partial();
      return;
    }
    append_location(path_, name);
  }

  void close_element() {
    if (opened_.empty()) return;
    path_.resize(opened_.back());
    opened_.pop_back();
  }

  std::string_view text_;
  ValueCollector& out_;
  std::string path_;
  std::vector<std::size_t> opened_;  // path_ size before each open element
  std::size_t pos_ = 0;
};

}  // namespace

void parse_xml(std::string_view text, std::string_view prefix, ValueCollector& out) {
  XmlReader(text, prefix, out).run();
}

}  // namespace waf::engine
