#pragma once
// The pure core of proxying: which requests are refused before they reach the app, and how heads
// are rewritten between the client and the upstream. No sockets here; tests call these directly.
#include <string>
#include <string_view>

#include "common/net/cidr.hpp"
#include "proxy/http1_codec.hpp"

namespace waf::proxy {

struct HeadCheck {
  CodecError error = CodecError::none;  // none: the head may be forwarded
  std::string reason;
};

// Checks llhttp leaves to the caller. Each one closes a request-smuggling or desync vector: a
// front end and the app must never disagree on where a request ends (RFC 9112 section 6.3).
HeadCheck check_request_head(const MessageHead& head);

struct ForwardContext {
  std::string_view client_ip;     // the real client, after trusted X-Forwarded-For processing
  std::string_view peer_ip;       // the TCP peer
  bool peer_trusted = false;      // the peer is in --trusted-proxies: its X-Forwarded-* are kept
  std::string_view request_id;
  std::string_view proto = "http";
};

// The request head sent upstream, always HTTP/1.1: hop-by-hop headers removed (RFC 9110 section
// 7.6.1, including those named in Connection), Expect removed (the proxy answers 100-continue
// itself), body framing restated, X-Forwarded-* and X-Request-Id set.
std::string build_upstream_request(const MessageHead& request, const ForwardContext& ctx);

enum class BodyFraming {
  none,            // no body (HEAD, 1xx, 204, 304): keep a Content-Length header as metadata
  content_length,  // forwarded as is
  chunked,         // re-chunked to the client
  until_close,     // an HTTP/1.0 client: the body ends when the connection closes
};

// How the response body is framed towards this client.
BodyFraming response_framing(const MessageHead& response, bool upstream_body_until_close, bool no_body,
                             bool client_http10);

// The response head sent to the client: hop-by-hop headers removed, framing restated, the
// connection's fate stated, X-Request-Id echoed.
std::string build_client_response_head(const MessageHead& response, BodyFraming framing, bool keep_alive,
                                       bool client_http10, std::string_view request_id);

// A response the proxy makes itself (400, 403, 502, 503, 504): a short JSON body with the request id.
std::string build_local_response(int status, std::string_view error, std::string_view request_id,
                                 bool keep_alive);

// The client IP: the TCP peer, or, when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself trusted.
std::string real_client_ip(const MessageHead& request, std::string_view peer_ip, bool peer_trusted,
                           const net::CidrSet& trusted);

// A request id supplied by a trusted hop is kept only if it is short and printable.
bool is_acceptable_request_id(std::string_view id) noexcept;

std::string_view reason_phrase(int status) noexcept;

}  // namespace waf::proxy
