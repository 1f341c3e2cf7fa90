#include "proxy/http1_codec.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace waf::proxy;

namespace {

struct Parsed {
  std::vector<CodecEvent> events;
  std::string body;
  CodecError error = CodecError::none;
  MessageHead head;
};

// Feeds `wire` in pieces of `step` bytes, resuming after every pause, as the session does.
Parsed parse(std::string_view wire, std::size_t step = 1 << 20, Http1Codec::Kind kind = Http1Codec::Kind::request,
             std::size_t max_head = 32 * 1024) {
  Parsed out;
  Http1Codec codec(kind, max_head, [](void* ctx, std::string_view d) { static_cast<Parsed*>(ctx)->body.append(d); }, &out);
  std::size_t pos = 0;
  while (true) {
    const auto piece = wire.substr(pos, std::min(step, wire.size() - pos));
    std::size_t consumed = 0;
    const auto ev = codec.dispatch(piece, consumed);
    pos += consumed;
    if (ev == CodecEvent::head_complete) out.head = codec.head();
    if (ev != CodecEvent::need_more) out.events.push_back(ev);
    if (ev == CodecEvent::error) {
      out.error = codec.error();
      break;
    }
    if (ev == CodecEvent::upgrade) break;
    if (ev == CodecEvent::need_more && pos >= wire.size()) break;
  }
  return out;
}

}  // namespace

TEST_CASE("http1 codec: pauses after the head and after each pipelined message") {
  const auto p = parse("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(p.events == std::vector{CodecEvent::head_complete, CodecEvent::message_complete, CodecEvent::head_complete,
                                CodecEvent::message_complete});
  CHECK(p.head.target == "/b");
}

TEST_CASE("http1 codec: chunked body reassembled whatever the read boundaries") {
  const std::string wire = "POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  for (std::size_t step : {1u, 3u, 7u, 1000u}) {
    const auto p = parse(wire, step);
    CHECK(p.body == "hello world");
    CHECK(p.head.chunked);
    CHECK(p.events.back() == CodecEvent::message_complete);
  }
}

TEST_CASE("http1 codec: smuggling and junk are errors with a reason class") {
  struct Case {
    const char* name;
    std::string wire;
    CodecError expected;
  };
  const Case cases[] = {
      {"bad chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", CodecError::smuggling},
      {"hex prefix chunk size", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n", CodecError::smuggling},
      {"negative content-length", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", CodecError::smuggling},
      {"bare LF", "GET / HTTP/1.1\nHost: x\n\n", CodecError::malformed},
      {"bare CR", "GET / HTTP/1.1\r\nHost: x\ry\r\n\r\n", CodecError::malformed},
      {"NUL in header", std::string("GET / HTTP/1.1\r\nHost: x\0y\r\n\r\n", 29), CodecError::malformed},
      {"junk request line", "HELLO\r\n\r\n", CodecError::malformed},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(parse(c.wire).error == c.expected);
  }
}

TEST_CASE("http1 codec: a head over the limit is refused, counted as header_too_large") {
  const std::string wire = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n";
  CHECK(parse(wire, 100, Http1Codec::Kind::request, 1024).error == CodecError::header_too_large);
  CHECK(parse(wire, 100, Http1Codec::Kind::request, 4096).error == CodecError::none);
}

TEST_CASE("http1 codec: 101 response switches to upgrade, HEAD responses have no body") {
  const auto up = parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n\x81\x05", 1 << 20,
                        Http1Codec::Kind::response);
  CHECK(up.events.back() == CodecEvent::upgrade);

  Parsed out;
  Http1Codec codec(Http1Codec::Kind::response, 4096, [](void* ctx, std::string_view d) { static_cast<Parsed*>(ctx)->body.append(d); }, &out);
  codec.reset(true);
  std::size_t consumed = 0;
  const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
  CHECK(codec.dispatch(wire, consumed) == CodecEvent::message_complete);
  CHECK(consumed == wire.size());
  CHECK(codec.head().content_length == 10);
}
