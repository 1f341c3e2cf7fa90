// Microbenchmark of engine::inspect() with the default policy: realistic benign requests (what
// almost all traffic is, and what the prefilter must make cheap) and attack requests (which run
// every detector). Each call is timed on its own with steady_clock; the table reports the median
// and the 99th percentile per request, plus the mean CPU time of the thread per request, which other
// processes on a shared machine do not inflate. Bounded: each case runs for at most kCaseBudget.
//
//   waf_engine_bench            prints a Markdown table; exit 1 if a verdict is not the expected one
//   waf_engine_bench TEXT       only the cases whose name contains TEXT
//   waf_engine_bench TEXT N     exactly N calls per case, no warm-up and no time budget: under
//                               callgrind, inspect()'s inclusive cost / N is the per-request count
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/attack_class.hpp"
#include "engine/engine.hpp"
#include "engine/policy/policy_file.hpp"

namespace {

using namespace waf::engine;
using Clock = std::chrono::steady_clock;

constexpr auto kWarmUp = std::chrono::milliseconds(200);
constexpr auto kCaseBudget = std::chrono::milliseconds(3000);
constexpr std::size_t kMaxIterations = 300'000;

// A request that owns its bytes; engine::Request only views them.
struct Case {
  std::string name;
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool attack = false;

  Request view() const {
    Request r{method, target, {}, body, false, "203.0.113.7"};
    for (const auto& [n, v] : headers) r.headers.emplace_back(n, v);
    return r;
  }
  std::size_t bytes() const {
    std::size_t n = method.size() + target.size() + body.size();
    for (const auto& [k, v] : headers) n += k.size() + v.size() + 4;
    return n;
  }
};

// What a current Chrome sends on a navigation, with the cookies of a typical shop session.
std::vector<std::pair<std::string, std::string>> browser_headers() {
  return {
      {"Host", "shop.example.com"},
      {"Connection", "keep-alive"},
      {"sec-ch-ua", "\"Chromium\";v=\"124\", \"Google Chrome\";v=\"124\", \"Not-A.Brand\";v=\"99\""},
      {"sec-ch-ua-mobile", "?0"},
      {"sec-ch-ua-platform", "\"Windows\""},
      {"Upgrade-Insecure-Requests", "1"},
      {"User-Agent",
       "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"},
      {"Accept",
       "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,"
       "application/signed-exchange;v=b3;q=0.7"},
      {"Sec-Fetch-Site", "same-origin"},
      {"Sec-Fetch-Mode", "navigate"},
      {"Sec-Fetch-User", "?1"},
      {"Sec-Fetch-Dest", "document"},
      {"Referer", "https://shop.example.com/catalog/outdoor?page=1"},
      {"Accept-Encoding", "gzip, deflate, br, zstd"},
      {"Accept-Language", "en-GB,en;q=0.9,fr;q=0.8,de;q=0.7"},
      {"Cookie",
       "sessionid=k3v9x0q2m7w1c8r5t4y6u2i0o9p3a1s7; csrftoken=Zq8mX2vB7nK4pL9wR3tY6uE1oI5aS0dF; "
       "_ga=GA1.1.1843273645.1714032000; _ga_7QK2N5M8B1=GS1.1.1714032000.3.1.1714035600.0.0.0; "
       "cookie_consent=analytics%3Dtrue%26marketing%3Dfalse; currency=EUR; lang=en-GB; "
       "recently_viewed=48213%2C48377%2C50112%2C50260"},
  };
}

// Appends "&name=value" pairs cycling through `params` until the string reaches `size` bytes.
void pad_query(std::string& target, const std::vector<std::pair<std::string, std::string>>& params, std::size_t size) {
  for (std::size_t i = 0; target.size() < size; ++i) {
    const auto& [name, value] = params[i % params.size()];
    target += '&' + name + std::to_string(i / params.size()) + '=' + value;
  }
}

Case get_1k() {
  Case c{"GET, 1 KB query string", "GET",
         "/catalog/search?q=waterproof+hiking+boots+for+women&category=outdoor%2Ffootwear&size=38.5&colour=dark+grey"
         "&price_min=40&price_max=180&sort=price_asc&page=2&per_page=48&in_stock=true"
         "&utm_source=newsletter&utm_medium=email&utm_campaign=spring_sale_2024"
         "&return_to=%2Fcatalog%2Foutdoor%3Fpage%3D1",
         "", browser_headers()};
  pad_query(c.target,
            {{"brand", "Lowa%2CMeindl%2CSalomon"}, {"rating", "4-5"}, {"ship_to", "FR"}, {"date", "2024-05-01"},
             {"note", "gift+for+my+sister%2C+thanks%21"}},
            1024);
  return c;
}

// A JSON order as an API client posts it; `notes` is where the XSS variant puts its payload.
std::string order_json(std::string_view notes) {
  std::string j = R"({"customer":{"id":"c_82f1a9","email":"jane.doe@example.org","name":"Jane Doe",)"
                  R"("phone":"+33 6 12 34 56 78","address":{"line1":"12 rue des Lilas","line2":"Apt. 4B",)"
                  R"("city":"Lyon","postcode":"69003","country":"FR"}},"currency":"EUR","items":[)";
  for (int i = 0; j.size() < 3700; ++i) {
    if (i > 0) j += ',';
    j += R"({"sku":"SKU-)" + std::to_string(48213 + i) + R"(","name":"Trail running shoe, size )" +
         std::to_string(36 + i % 10) + R"(","quantity":)" + std::to_string(1 + i % 3) + R"(,"unit_price":)" +
         std::to_string(89 + i) + R"(.90,"gift_wrap":false,"tags":["sale","outdoor"]})";
  }
  j += R"(],"shipping":{"method":"express","instructions":"Leave the parcel with the neighbour at number 14."},)";
  j += R"("payment":{"method":"card","token":"tok_1PBx2eLkdIwHu7ixQ9mZ3vRt"},"notes":")";
  j += notes;
  j += R"(","created_at":"2024-05-01T10:15:30Z","client":{"app":"shop-web","version":"5.12.3"}})";
  return j;
}

std::vector<std::pair<std::string, std::string>> api_headers(std::string content_type, std::size_t length) {
  return {
      {"Host", "api.example.com"},
      {"User-Agent", "shop-web/5.12.3 (+https://shop.example.com)"},
      {"Accept", "application/json"},
      {"Content-Type", std::move(content_type)},
      {"Content-Length", std::to_string(length)},
      {"Authorization",
       "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjXzgyZjFhOSIsImlhdCI6MTcxNDAzMjAwMH0."
       "k3Tq9vX2mB7nL4pW8rY1uE6oI0aS5dFgHjKzQxCv"},
      {"X-Request-Id", "9f1c2a7e-4b3d-4e8f-a1b2-c3d4e5f60718"},
      {"Accept-Encoding", "gzip, br"},
  };
}

Case post_json(std::string name, std::string_view notes, bool attack) {
  Case c{std::move(name), "POST", "/v1/orders", order_json(notes), {}, attack};
  c.headers = api_headers("application/json", c.body.size());
  return c;
}

// A form with a title, a description and a text file of meeting notes, about 64 KB in all.
Case post_multipart() {
  const std::string boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
  std::string file;
  for (int i = 1; file.size() < 62'000; ++i) {
    file += "Item " + std::to_string(i) +
            ": the team reviewed the roadmap and agreed to ship the new search page in March; "
            "Anna will update the design notes (v2.3) and send them to everyone by Friday.\r\n";
  }
  std::string body = "--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nPlanning notes, Q2\r\n--" + boundary +
                     "\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n"
                     "Minutes of the quarterly planning meeting, for the shared drive.\r\n--" +
                     boundary +
                     "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"planning-notes.txt\"\r\n"
                     "Content-Type: text/plain\r\n\r\n" +
                     file + "\r\n--" + boundary + "--\r\n";
  Case c{"POST, 64 KB multipart upload (text file)", "POST", "/documents/upload", std::move(body), browser_headers()};
  c.headers.emplace_back("Content-Type", "multipart/form-data; boundary=" + boundary);
  c.headers.emplace_back("Content-Length", std::to_string(c.body.size()));
  return c;
}

Case get_attack(std::string name, std::string target) {
  return Case{std::move(name), "GET", std::move(target), "", browser_headers(), true};
}

std::vector<Case> cases() {
  std::vector<Case> all;
  all.push_back(get_1k());
  all.push_back(post_json("POST, 4 KB JSON (API)", "Please ring twice, the bell is quiet.", false));
  all.push_back(post_multipart());
  all.push_back(get_attack("attack: SQLi in the query", "/products?id=1%27%20OR%201%3D1--&sort=name"));
  all.push_back(post_json("attack: XSS in 4 KB JSON", "<img src=x onerror=alert(document.cookie)>", true));
  all.push_back(get_attack("attack: path traversal", "/download?file=..%2F..%2F..%2F..%2Fetc%2Fpasswd"));
  return all;
}

struct Result {
  std::size_t iterations = 0;
  double median_us = 0, p99_us = 0, cpu_us = 0;
  Verdict verdict;
};

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// fixed_iterations == 0: warm up, then run until kCaseBudget or kMaxIterations.
Result run(const Case& c, const CompiledPolicy& policy, std::size_t fixed_iterations) {
  const Request request = c.view();
  Result r;
  if (fixed_iterations == 0) {
    for (const auto until = Clock::now() + kWarmUp; Clock::now() < until;) r.verdict = inspect(request, policy);
  }
  const std::size_t iterations = fixed_iterations == 0 ? kMaxIterations : fixed_iterations;
  std::vector<double> samples;
  samples.reserve(iterations);
  const auto until = Clock::now() + kCaseBudget;
  const double cpu_start = thread_cpu_us();
  while (samples.size() < iterations) {
    const auto start = Clock::now();
    Verdict v = inspect(request, policy);
    const auto end = Clock::now();
    r.verdict = std::move(v);  // the last verdict is reported, so the call cannot be optimised away
    samples.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    if (fixed_iterations == 0 && end >= until) break;
  }
  r.cpu_us = (thread_cpu_us() - cpu_start) / static_cast<double>(samples.size());
  std::sort(samples.begin(), samples.end());
  r.iterations = samples.size();
  r.median_us = samples[samples.size() / 2];
  r.p99_us = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
  return r;
}

std::string verdict_text(const Verdict& v) {
  std::string s(name(v.action));
  for (std::size_t i = 0; i < v.classes.size(); ++i) s += (i == 0 ? " (" : ", ") + std::string(name(v.classes[i]));
  if (!v.classes.empty()) s += ')';
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view only = argc > 1 ? std::string_view(argv[1]) : std::string_view{};
  const std::size_t fixed_iterations = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 0;
  const CompiledPolicy policy = default_policy();
  std::printf("| request | bytes | verdict | iterations | median | p99 | mean CPU |\n|---|---:|---|---:|---:|---:|---:|\n");
  int unexpected = 0;
  for (const Case& c : cases()) {
    if (c.name.find(only) == std::string::npos) continue;
    const Result r = run(c, policy, fixed_iterations);
    const bool ok = (r.verdict.action != Action::allow) == c.attack;
    unexpected += ok ? 0 : 1;
    std::printf("| %s | %zu | %s%s | %zu | %.1f us | %.1f us | %.1f us |\n", c.name.c_str(), c.bytes(),
                verdict_text(r.verdict).c_str(), ok ? "" : " **unexpected**", r.iterations, r.median_us, r.p99_us,
                r.cpu_us);
    std::fflush(stdout);
  }
  return unexpected == 0 ? 0 : 1;
}
