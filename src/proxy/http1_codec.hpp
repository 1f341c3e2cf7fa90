#pragma once
// HTTP/1.x message parsing behind one small interface (llhttp stays in the .cpp). dispatch() turns
// bytes into events and stops after a message head and after each message, so the session can
// act (inspect, connect upstream, answer) before more bytes are parsed: that is what keeps
// pipelined requests in order and bodies flowing only when the next hop is ready.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace waf::proxy {

struct Header {
  std::string name;
  std::string value;
};

struct MessageHead {
  std::string method;  // requests
  std::string target;  // requests: raw request-target
  int status = 0;      // responses
  std::string reason;  // responses
  int version_major = 1;
  int version_minor = 1;
  std::vector<Header> headers;
  bool chunked = false;
  bool has_content_length = false;
  std::uint64_t content_length = 0;
  bool upgrade = false;  // llhttp saw Connection: upgrade + Upgrade (or a 101 response)

  // Case-insensitive lookup of the first header with this name.
  const Header* find(std::string_view name) const noexcept;
  std::size_t count(std::string_view name) const noexcept;
  bool is_http10() const noexcept { return version_major == 1 && version_minor == 0; }
};

enum class CodecEvent {
  need_more,         // all bytes consumed, the message is not finished
  head_complete,     // head() is filled in; body bytes (if any) follow
  message_complete,  // the message ended; bytes after `consumed` belong to the next one
  upgrade,           // the message ended and the connection switches protocols
  error,
};

// Why a message was refused: drives the metric label and the log, never the response code (400).
enum class CodecError { none, malformed, header_too_large, smuggling };

class Http1Codec {
 public:
  enum class Kind { request, response };
  using BodySink = void (*)(void* context, std::string_view data);

  Http1Codec(Kind kind, std::size_t max_head_bytes, BodySink sink, void* sink_context);
  ~Http1Codec();
  Http1Codec(const Http1Codec&) = delete;
  Http1Codec& operator=(const Http1Codec&) = delete;

  // Parses from `data`; sets `consumed` to the bytes used. Body bytes go to the sink as parsed.
  CodecEvent dispatch(std::string_view data, std::size_t& consumed) noexcept;
  // The peer closed: completes a response whose body is delimited by the connection's end.
  CodecEvent finish() noexcept;
  // Starts a fresh message stream (a new upstream exchange). `head_request` means the response
  // to come answers a HEAD request, so it has no body whatever its headers say.
  void reset(bool head_request = false) noexcept;

  const MessageHead& head() const noexcept;
  bool keep_alive() const noexcept;        // valid once the head is complete
  bool body_until_close() const noexcept;  // response body delimited by the connection's end
  CodecError error() const noexcept;
  std::string_view error_reason() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace waf::proxy
