#include "proxy/http1_codec.hpp"

#include <llhttp.h>
#include <strings.h>

namespace waf::proxy {

const Header* MessageHead::find(std::string_view name) const noexcept {
  for (const auto& h : headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0) return &h;
  }
  return nullptr;
}

std::size_t MessageHead::count(std::string_view name) const noexcept {
  std::size_t n = 0;
  for (const auto& h : headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0) ++n;
  }
  return n;
}

struct Http1Codec::Impl {
  llhttp_t parser{};
  llhttp_settings_t settings{};
  Kind kind;
  std::size_t max_head_bytes;
  BodySink sink;
  void* sink_context;
  MessageHead head;
  std::size_t head_bytes = 0;
  bool in_value = false;  // the last header callback was a value (the next field starts a header)
  bool head_request = false;
  bool paused = false;
  CodecEvent paused_at = CodecEvent::need_more;  // which callback paused the parser
  CodecError error = CodecError::none;
  std::string reason;

  static Impl& of(llhttp_t* p) { return *static_cast<Impl*>(p->data); }

  // Each header byte counts toward the limit, plus 4 for ": " and CRLF, as the wire has them.
  int count_head(std::size_t n) {
    head_bytes += n;
    if (head_bytes > max_head_bytes) {
      error = CodecError::header_too_large;
      reason = "request header block too large";
      return -1;
    }
    return 0;
  }

  void init() {
    llhttp_settings_init(&settings);
    settings.on_message_begin = [](llhttp_t* p) {
      auto& self = of(p);
      self.head = MessageHead{};
      self.head_bytes = 0;
      self.in_value = false;
      return 0;
    };
    settings.on_url = [](llhttp_t* p, const char* at, size_t n) {
      auto& self = of(p);
      self.head.target.append(at, n);
      return self.count_head(n);
    };
    settings.on_status = [](llhttp_t* p, const char* at, size_t n) {
      auto& self = of(p);
      self.head.reason.append(at, n);
      return self.count_head(n);
    };
    settings.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
      auto& self = of(p);
      if (self.in_value || self.head.headers.empty()) {
        self.head.headers.emplace_back();
        self.in_value = false;
        if (self.count_head(4) != 0) return -1;
      }
      self.head.headers.back().name.append(at, n);
      return self.count_head(n);
    };
    settings.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
      auto& self = of(p);
      self.in_value = true;
      self.head.headers.back().value.append(at, n);
      return self.count_head(n);
    };
    settings.on_headers_complete = [](llhttp_t* p) {
      auto& self = of(p);
      auto& h = self.head;
      h.version_major = p->http_major;
      h.version_minor = p->http_minor;
      h.chunked = (p->flags & F_CHUNKED) != 0;
      h.has_content_length = (p->flags & F_CONTENT_LENGTH) != 0;
      h.content_length = h.has_content_length ? p->content_length : 0;
      if (self.kind == Kind::request) {
        h.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
        h.upgrade = p->upgrade != 0;
      } else {
        h.status = p->status_code;
        if (h.status == 101) {
          h.upgrade = true;
          return 2;  // no body; llhttp_execute returns HPE_PAUSED_UPGRADE after the message
        }
        if (self.head_request) return 1;  // a response to HEAD has no body
      }
      self.paused = true;
      self.paused_at = CodecEvent::head_complete;
      return static_cast<int>(HPE_PAUSED);
    };
    settings.on_body = [](llhttp_t* p, const char* at, size_t n) {
      auto& self = of(p);
      self.sink(self.sink_context, std::string_view(at, n));
      return 0;
    };
    settings.on_message_complete = [](llhttp_t* p) {
      auto& self = of(p);
      if (p->upgrade != 0) return 0;  // llhttp_execute reports HPE_PAUSED_UPGRADE instead
      self.paused = true;
      self.paused_at = CodecEvent::message_complete;
      return static_cast<int>(HPE_PAUSED);
    };
  }

  void restart() {
    llhttp_init(&parser, kind == Kind::request ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
    parser.data = this;
    paused = false;
    error = CodecError::none;
    reason.clear();
  }

  CodecError classify(llhttp_errno_t err) const {
    switch (err) {
      case HPE_INVALID_CONTENT_LENGTH:
      case HPE_UNEXPECTED_CONTENT_LENGTH:
      case HPE_INVALID_TRANSFER_ENCODING:
      case HPE_INVALID_CHUNK_SIZE:
        return CodecError::smuggling;
      default:
        return CodecError::malformed;
    }
  }
};

Http1Codec::Http1Codec(Kind kind, std::size_t max_head_bytes, BodySink sink, void* sink_context)
    : impl_(std::make_unique<Impl>()) {
  impl_->kind = kind;
  impl_->max_head_bytes = max_head_bytes;
  impl_->sink = sink;
  impl_->sink_context = sink_context;
  impl_->init();
  impl_->restart();
}

Http1Codec::~Http1Codec() = default;

void Http1Codec::reset(bool head_request) noexcept {
  impl_->restart();
  impl_->head_request = head_request;
}

CodecEvent Http1Codec::dispatch(std::string_view data, std::size_t& consumed) noexcept {
  auto& s = *impl_;
  consumed = 0;
  if (s.error != CodecError::none) return CodecEvent::error;
  if (s.paused) {
    llhttp_resume(&s.parser);
    s.paused = false;
  }
  const auto err = llhttp_execute(&s.parser, data.data(), data.size());
  if (err == HPE_OK) {
    consumed = data.size();
    return CodecEvent::need_more;
  }
  const char* pos = llhttp_get_error_pos(&s.parser);
  consumed = pos != nullptr ? static_cast<std::size_t>(pos - data.data()) : data.size();
  if (err == HPE_PAUSED) return s.paused_at;
  if (err == HPE_PAUSED_UPGRADE) return CodecEvent::upgrade;
  if (s.error == CodecError::none) {
    s.error = s.classify(err);
    s.reason = llhttp_get_error_reason(&s.parser) != nullptr ? llhttp_get_error_reason(&s.parser) : llhttp_errno_name(err);
  }
  return CodecEvent::error;
}

CodecEvent Http1Codec::finish() noexcept {
  auto& s = *impl_;
  if (s.paused) {
    llhttp_resume(&s.parser);
    s.paused = false;
  }
  const auto err = llhttp_finish(&s.parser);
  if (err == HPE_OK || err == HPE_PAUSED) return CodecEvent::message_complete;
  s.error = CodecError::malformed;
  s.reason = "connection closed before the message ended";
  return CodecEvent::error;
}

const MessageHead& Http1Codec::head() const noexcept { return impl_->head; }
bool Http1Codec::keep_alive() const noexcept { return llhttp_should_keep_alive(&impl_->parser) != 0; }
bool Http1Codec::body_until_close() const noexcept { return llhttp_message_needs_eof(&impl_->parser) != 0; }
CodecError Http1Codec::error() const noexcept { return impl_->error; }
std::string_view Http1Codec::error_reason() const noexcept { return impl_->reason; }

}  // namespace waf::proxy
