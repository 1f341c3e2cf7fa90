#pragma once
// One client connection, from accept to close: reads requests through the request codec, asks the
// inspection hook, forwards to the app through a pooled upstream connection, relays the response,
// and loops for keep-alive. One async step per do_x/on_x pair (Beast's session shape); every wait
// has a deadline. Handlers carry the session's epoch: a timeout bumps it, so the callbacks of
// abandoned operations return without acting.
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "proxy/forwarding.hpp"
#include "proxy/http1_codec.hpp"
#include "proxy/inspection_hook.hpp"
#include "proxy/proxy_metrics.hpp"

namespace waf::proxy {

class Worker;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Worker& worker, asio::ip::tcp::socket client);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // SIGTERM: an idle connection closes now; one mid-exchange finishes it, then closes.
  void drain();

 private:
  enum class Phase { reading_head, holding_body, connecting, sending_request, awaiting_response, sending_response, tunnel, closed };
  enum class Deadline { idle, header, client_body, upstream_connect, upstream_response, client_write, tunnel };
  enum class AfterWrite { read_upstream, finish_exchange, start_tunnel, close, resume_request };

  // Client -> request codec.
  void process_client();
  void do_read_client();
  void on_read_client(const asio::error_code& ec, std::size_t n);
  void on_request_head();
  void on_request_complete();
  void proceed_after_head();
  void decide_after_body();
  void sink_request_body(std::string_view data);
  void frame_request_body(std::string_view data);

  // Upstream exchange.
  void start_upstream();
  void do_connect();
  void on_connect(const asio::error_code& ec);
  void do_write_upstream();
  void on_write_upstream(const asio::error_code& ec);
  void await_response();
  void do_read_upstream();
  void on_read_upstream(const asio::error_code& ec, std::size_t n);
  void process_upstream();
  void on_response_head();
  void sink_response_body(std::string_view data);
  bool retry_on_fresh_connection();
  void upstream_failed(UpstreamError kind, int status);

  // Client writes and the end of an exchange.
  void do_write_client(AfterWrite then);
  void on_write_client(const asio::error_code& ec, AfterWrite then);
  void respond_locally(int status, std::string_view error, std::string content_type = {}, std::string body = {});
  void record_exchange();
  void finish_exchange();
  void end_attack_report();
  void record_stats();
  void reset_exchange();
  void close();
  void linger();

  // WebSocket and other upgrades: bytes both ways until either side closes.
  void start_tunnel();
  void pump(bool client_to_upstream);

  void arm(Deadline kind);
  void wait_for_deadline();
  void on_deadline(const asio::error_code& ec);
  bool expect_continue() const;

  Worker& worker_;
  asio::ip::tcp::socket client_;
  asio::ip::tcp::socket upstream_;
  std::vector<asio::ip::tcp::endpoint> upstream_endpoints_;  // --upstream, or the port the client dialled
  asio::steady_timer timer_;
  std::uint64_t epoch_ = 0;
  Phase phase_ = Phase::reading_head;
  Deadline deadline_ = Deadline::idle;
  std::chrono::steady_clock::time_point deadline_at_{};
  bool deadline_wait_ = false;  // a wait on timer_ for a deadline is pending
  std::string peer_ip_;
  bool peer_trusted_ = false;

  Http1Codec request_codec_;
  Http1Codec response_codec_;
  std::vector<char> in_;  // client bytes; [in_begin_, in_end_) not yet parsed
  std::size_t in_begin_ = 0, in_end_ = 0;
  std::vector<char> up_in_;  // upstream bytes; [up_begin_, up_end_) not yet parsed
  std::size_t up_begin_ = 0, up_end_ = 0;
  std::string to_upstream_, to_client_;

  // The current exchange.
  MessageHead request_;
  std::string request_id_, client_ip_;
  std::unique_ptr<AttackReport> attack_;  // found by the hook: reported once the response is sent
  bool head_started_ = false;     // bytes of the next request head have arrived
  bool request_done_ = false;     // the request message ended (body fully read)
  bool upgrade_requested_ = false;
  bool holding_ = false;          // body bytes go to held_ for inspection
  std::size_t hold_limit_ = 0;
  std::string held_, overflow_;   // held body prefix; bytes read past the limit meanwhile
  std::string replay_;            // the whole request, when it fits: resent once on a stale pooled connection
  bool from_pool_ = false;
  bool retried_ = false;
  bool response_started_ = false;  // upstream bytes of the final response arrived
  bool response_head_seen_ = false;  // the codec paused at the current response message's head
  bool response_head_sent_ = false;
  bool response_done_ = false;
  bool upstream_reusable_ = false;
  bool client_keep_alive_ = false;
  bool draining_ = false;
  bool tunnel_closing_ = false;
  BodyFraming response_framing_ = BodyFraming::none;
  int status_ = 0;
  std::uint64_t exchanges_ = 0;  // requests finished on this connection
  std::uint64_t lingered_bytes_ = 0;
  std::uint64_t bytes_sent_ = 0;
  std::chrono::steady_clock::time_point started_{};
};

}  // namespace waf::proxy
