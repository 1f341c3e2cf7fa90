#include <doctest/doctest.h>

#include <ctime>
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../kinds.hpp"
#include "../table_file.hpp"
#include "engine/parse/cookie.hpp"
#include "engine/parse/json.hpp"
#include "engine/parse/multipart.hpp"
#include "engine/parse/request_parser.hpp"
#include "engine/parse/target.hpp"
#include "engine/parse/urlencoded.hpp"
#include "engine/parse/xml.hpp"

using namespace waf::engine;
using namespace waf::engine::test;

namespace {

std::string render(const ValueCollector& values) {
  std::string out;
  for (const auto& v : values.values()) {
    out += std::string(kind_name(v.kind)) + "\t" + std::string(v.location) + "\t" + escape(v.raw) + "\n";
  }
  if (values.partial()) out += "(partial)\n";
  return out;
}

// Runs the parser chosen by the file's extension over the whole file.
void run_parser(const std::filesystem::path& file, const std::string& input, ValueCollector& out) {
  const std::string ext = file.extension().string();
  if (ext == ".json") {
    CHECK(parse_json(input, "json", out));
  } else if (ext == ".xml") {
    parse_xml(input, "xml", out);
  } else if (ext == ".form") {
    parse_urlencoded(input, "form", LocationKind::form_value, out);
  } else if (ext == ".multipart") {
    // The boundary is the first line without its leading "--".
    const std::string boundary = input.substr(2, input.find_first_of("\r\n") - 2);
    CHECK(parse_multipart(input, boundary, out));
  } else if (ext == ".target") {
    parse_target(input, out);
  } else if (ext == ".cookie") {
    parse_cookie_header(input, out);
  } else {
    FAIL("no parser for " << file);
  }
}

}  // namespace

TEST_CASE("parsers: testdata/parse/<case>.<parser> -> <case>.values golden") {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(testdata("parse"))) {
    if (entry.path().extension() != ".values") inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() >= 8);
  for (const auto& file : inputs) {
    INFO(file.filename().string());
    const std::string input = read_file(file.string());
    const Limits limits;
    ValueCollector values(limits);
    run_parser(file, input, values);
    const std::string got = render(values);
    fs::path golden = file;
    golden.replace_extension(".values");
    if (update_golden()) std::ofstream(golden, std::ios::binary) << got;
    CHECK(got == read_file(golden.string()));
  }
}

TEST_CASE("json parser: stops at the depth budget and marks partial") {
  Limits limits;
  limits.max_depth = 3;
  ValueCollector values(limits);
  REQUIRE(parse_json(R"({"a":{"b":{"c":{"d":"deep"}},"s":"shallow"}})", "json", values));
  CHECK(values.partial());
  bool deep = false, shallow = false;
  for (const auto& v : values.values()) {
    deep = deep || v.raw == "deep";
    shallow = shallow || v.raw == "shallow";
  }
  CHECK_FALSE(deep);
  CHECK(shallow);
}

TEST_CASE("json parser: a truncated body is repaired and inspected up to the cut") {
  const Limits limits;
  ValueCollector values(limits);
  const std::string text = R"({"a":"1' or 1=1","list":["x","y)";
  CHECK_FALSE(parse_json(text, "json", values, false));
  REQUIRE(parse_json(text, "json", values, true));
  CHECK(values.partial());
  REQUIRE(values.values().size() >= 3);
  CHECK(values.values()[1].raw == "1' or 1=1");
  CHECK(close_truncated_json(R"({"a":[1,2)") == R"({"a":[1]})");
  CHECK(close_truncated_json(R"({"a")").empty());
}

TEST_CASE("json parser: 800 KB body takes milliseconds and respects the value budget") {
  std::string body = "[";
  for (int i = 0; i < 40000; ++i) body += std::string(i ? "," : "") + "{\"k\":\"value number " + std::to_string(i) + "\"}";
  body += "]";
  REQUIRE(body.size() > 800 * 1024);
  const Limits limits;
  ValueCollector values(limits);
  // CPU time, not wall time: a busy CI machine stretches the latter, not the former.
  const std::clock_t start = std::clock();
  REQUIRE(parse_json(body, "json", values));
  const double elapsed_ms = 1e3 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  CHECK(values.partial());
  CHECK(values.values().size() <= limits.max_values);
  // Generous for unoptimised sanitizer builds; the release build takes about 1 ms.
  CHECK(elapsed_ms < 500);
}

TEST_CASE("xml parser: deep nesting is bounded and marked partial") {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "<a>";
  body += "payload";
  Limits limits;
  limits.max_depth = 8;
  ValueCollector values(limits);
  parse_xml(body, "xml", values);
  CHECK(values.partial());
  REQUIRE(values.values().size() == 1);
  CHECK(values.values()[0].location == "xml.a.a.a.a.a.a.a.a");
}

TEST_CASE("value collector: value count, total bytes and value size budgets") {
  Limits limits;
  limits.max_values = 3;
  limits.max_value_bytes = 4;
  limits.max_bytes = 10;
  ValueCollector values(limits);
  CHECK(values.add(LocationKind::query_value, "q.a", "123456"));
  CHECK(values.partial());  // cut to max_value_bytes
  CHECK(values.values()[0].raw == "1234");
  CHECK(values.add(LocationKind::query_value, "q.b", "abcd"));
  CHECK(values.add(LocationKind::query_value, "q.c", "xyz"));
  CHECK_FALSE(values.add(LocationKind::query_value, "q.d", "more"));
  CHECK(values.exhausted());
  CHECK(values.values().size() == 3);
  CHECK(values.values()[2].raw == "xy");  // the total byte budget cut it
}

TEST_CASE("request parser: every part of a request becomes a located value") {
  Request request;
  request.method = "POST";
  request.target = "/api/users?id=1";
  request.headers = {{"Host", "shop.example"}, {"User-Agent", "curl/8.0"}, {"Cookie", "sid=abc"},
                     {"Content-Type", "application/json; charset=utf-8"}};
  request.body = R"({"name":"bob"})";
  const Limits limits;
  ValueCollector values(limits);
  collect_request_values(request, 1024, values);
  const std::string got = render(values);
  CHECK(got ==
        "method\tmethod\tPOST\n"
        "path\tpath\t/api/users\n"
        "path\tpath[0]\tapi\n"
        "path\tpath[1]\tusers\n"
        "query_name\tquery.id\tid\n"
        "query_value\tquery.id\t1\n"
        "header\theader.host\tshop.example\n"
        "header\theader.user-agent\tcurl/8.0\n"
        "query_name\tcookie.sid\tsid\n"
        "cookie\tcookie.sid\tabc\n"
        "header\theader.content-type\tapplication/json; charset=utf-8\n"
        "json_key\tjson.name\tname\n"
        "json_value\tjson.name\tbob\n");
}

TEST_CASE("request parser: the Referer's query arguments are values of their own") {
  Request request{"GET", "/", {{"Referer", "https://shop.example/search?q=a%27b&page=2#top"}}, "", false, ""};
  const Limits limits;
  ValueCollector values(limits);
  collect_request_values(request, 1024, values);
  const std::string got = render(values);
  CHECK(got.find("header\theader.referer\thttps://shop.example/search?q=a%27b&page=2#top\n") != std::string::npos);
  CHECK(got.find("query_value\theader.referer.q\ta%27b\n") != std::string::npos);
  CHECK(got.find("query_value\theader.referer.page\t2\n") != std::string::npos);
}

TEST_CASE("request parser: body sniffing, body limit and fallbacks") {
  const Limits limits;
  SUBCASE("JSON without a content type is parsed as JSON") {
    Request request{"POST", "/", {}, R"( {"a":"b"})", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().location == "json.a");
  }
  SUBCASE("name=value pairs without a content type are parsed as a form") {
    Request request{"POST", "/", {}, "user=bob&q=a+b%27", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().location == "form.q");
    CHECK(values.values().back().kind == LocationKind::form_value);
  }
  SUBCASE("base64 with its padding, without a content type, stays text for the base64 decoder") {
    Request request{"POST", "/", {}, "SGVsbG8sIHdvcmxkIQ==", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().kind == LocationKind::body_text);
  }
  SUBCASE("markup without a content type is read as XML and also kept whole as text") {
    Request request{"POST", "/", {}, "<b>hi</b><%= 7*7 %>", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().location == "body");
    CHECK(values.values().back().raw == "<b>hi</b><%= 7*7 %>");
  }
  SUBCASE("prose without a content type stays text") {
    Request request{"POST", "/", {}, "hello there, a=b", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().kind == LocationKind::body_text);
  }
  SUBCASE("invalid JSON is inspected as text") {
    Request request{"POST", "/", {{"content-type", "application/json"}}, R"({"a": nope})", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().location == "body");
    CHECK(values.values().back().kind == LocationKind::body_text);
  }
  SUBCASE("a body over the limit is cut and marks partial") {
    Request request{"POST", "/", {{"Content-Type", "text/plain"}}, "0123456789", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 4, values);
    CHECK(values.partial());
    CHECK(values.values().back().raw == "0123");
  }
  SUBCASE("a body the proxy truncated marks partial") {
    Request request{"POST", "/", {}, "abc", true, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.partial());
  }
  SUBCASE("multipart without its boundary in the body is text") {
    Request request{"POST", "/", {{"Content-Type", "multipart/form-data; boundary=zz"}}, "a=b", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    CHECK(values.values().back().kind == LocationKind::body_text);
  }
}

TEST_CASE("value collector: long locations are cut at kMaxLocationBytes wherever the cut falls") {
  const Limits limits;
  const std::string long_name(200, 'k');
  SUBCASE("a long JSON key, then the children of a location already at the limit") {
    ValueCollector values(limits);
    const std::string mid(120, 'm');
    REQUIRE(parse_json(R"({")" + long_name + R"(":"v",")" + mid + R"(":{"abcdefgh":["x",{"y":"z"}]}})", "json", values));
    REQUIRE(values.values().size() == 7);
    CHECK(values.values()[0].location == ("json." + long_name).substr(0, kMaxLocationBytes));
    CHECK(values.values()[1].location == values.values()[0].location);
    CHECK(values.values()[2].location == "json." + mid);
    // 125 bytes, then ".abcdefgh" cut to 128; the array index and the key below add nothing.
    const std::string at_limit = ("json." + mid + ".abcdefgh").substr(0, kMaxLocationBytes);
    for (std::size_t i = 3; i < 7; ++i) CHECK(values.values()[i].location == at_limit);
  }
  SUBCASE("an array index that crosses the limit is cut inside it") {
    ValueCollector values(limits);
    const std::string key(121, 'a');
    REQUIRE(parse_json(R"({")" + key + R"(":[0,"x"]})", "json", values));
    REQUIRE(values.values().size() == 2);
    CHECK(values.values()[1].location == ("json." + key + "[1]").substr(0, kMaxLocationBytes));
  }
  SUBCASE("query names, header names and path segments") {
    const std::string target = "/a/b?" + long_name + "=1&%41" + long_name + "=2";  // the request views it
    Request request{"GET", target, {{long_name, "h"}}, "", false, ""};
    ValueCollector values(limits);
    collect_request_values(request, 1024, values);
    const std::string got = render(values);
    CHECK(got.find("path\tpath[1]\tb\n") != std::string::npos);
    CHECK(got.find("query_value\t" + ("query." + long_name).substr(0, kMaxLocationBytes) + "\t1\n") != std::string::npos);
    CHECK(got.find("query_value\t" + ("query.A" + long_name).substr(0, kMaxLocationBytes) + "\t2\n") != std::string::npos);
    CHECK(got.find("header\t" + ("header." + long_name).substr(0, kMaxLocationBytes) + "\th\n") != std::string::npos);
  }
}

TEST_CASE("urlencoded parser: empty pairs, names and values") {
  const Limits limits;
  ValueCollector values(limits);
  parse_urlencoded("&a&&=b&c=&=&d=e=f&", "form", LocationKind::form_value, values);
  CHECK(render(values) ==
        "query_name\tform.a\ta\n"
        "form_value\tform.\tb\n"
        "query_name\tform.c\tc\n"
        "query_name\tform.d\td\n"
        "form_value\tform.d\te=f\n");
}
