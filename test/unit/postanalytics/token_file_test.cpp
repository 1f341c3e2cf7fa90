#include "postanalytics/token_file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace waf::postanalytics;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& path, const std::string& content) {
  // Written aside and renamed in, as the kubelet swaps a Secret's files: a new inode.
  const auto tmp = path.string() + ".new";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << content;
  fs::rename(tmp, path);
}

}  // namespace

TEST_CASE("token file: trimmed content, bearer scheme, re-read when the file changes") {
  const auto path = fs::temp_directory_path() / fmt::format("waf-token-test-{}", ::getpid());
  write(path, "s3cret\n");
  auto token = TokenFile::load(path.string());
  REQUIRE(token.ok());
  CHECK(token->current() == "s3cret");
  CHECK(token->accepts("Bearer s3cret"));
  CHECK(token->accepts("bearer s3cret"));
  CHECK_FALSE(token->accepts("Bearer s3cre"));
  CHECK_FALSE(token->accepts("Bearer s3cret2"));
  CHECK_FALSE(token->accepts("Basic s3cret"));
  CHECK_FALSE(token->accepts(""));

  write(path, "rotated");
  CHECK(token->accepts("Bearer rotated"));
  CHECK_FALSE(token->accepts("Bearer s3cret"));

  write(path, "  \n");  // an empty Secret must not open the API: the last token stays
  CHECK(token->accepts("Bearer rotated"));
  fs::remove(path);
  CHECK(token->accepts("Bearer rotated"));
  CHECK_FALSE(TokenFile::load(path.string()).ok());
}

TEST_CASE("token file: content trimming") {
  CHECK(token_from_content(" abc \r\n") == "abc");
  CHECK(token_from_content("\n\n").empty());
}
