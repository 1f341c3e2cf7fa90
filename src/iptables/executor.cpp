#include "iptables/executor.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace waf::iptables {
namespace {

// A scratch image may start us without PATH, and the iptables programs live in sbin directories
// that a non-login PATH often lacks.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env_path = std::getenv("PATH");
  std::string path = env_path != nullptr ? env_path : "/usr/local/bin:/usr/bin:/bin";
  path += ":/usr/local/sbin:/usr/sbin:/sbin";
  std::string_view rest = path;
  while (true) {
    const auto colon = rest.find(':');
    const auto dir = rest.substr(0, colon);
    if (!dir.empty()) {
      std::string candidate = std::string(dir) + "/" + name;
      if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    if (colon == std::string_view::npos) return {};
    rest.remove_prefix(colon + 1);
  }
}

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) close(f);
    }
  }
  void close_end(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

}  // namespace

Result<CommandResult> ProcessExecutor::run(const Command& command) {
  if (command.argv.empty()) return make_error("executor: empty command");
  const std::string program = find_program(command.argv[0]);
  if (program.empty()) return make_error(command.argv[0] + ": not found in PATH, /usr/sbin or /sbin");

  Pipe in, out, err;
  if (pipe2(in.fd, O_CLOEXEC) != 0 || pipe2(out.fd, O_CLOEXEC) != 0 || pipe2(err.fd, O_CLOEXEC) != 0) {
    return make_error(errno_text("pipe2"));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);
  std::vector<char*> argv;
  for (const auto& a : command.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // We ignore SIGPIPE so that a child quitting before reading all of stdin is an EPIPE, not our
  // death; the child gets the default back, as ignored signals survive exec.
  std::signal(SIGPIPE, SIG_IGN);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return make_error(program + ": cannot start: " + std::strerror(rc));
  in.close_end(0);
  out.close_end(1);
  err.close_end(1);
  // Non-blocking on our side only: a blocking write of more than the pipe holds would wait for the
  // child to read while the child waits for us to drain its output.
  fcntl(in.fd[1], F_SETFL, fcntl(in.fd[1], F_GETFL) | O_NONBLOCK);

  // Feed stdin and drain both outputs together: a child blocked writing a full stderr pipe while we
  // block writing its stdin would deadlock.
  CommandResult result;
  std::size_t written = 0;
  if (command.stdin_text.empty()) in.close_end(1);
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  bool timed_out = false;
  std::array<char, 4096> buf{};
  while (out.fd[0] >= 0 || err.fd[0] >= 0 || in.fd[1] >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    std::array<pollfd, 3> fds{{{in.fd[1], POLLOUT, 0}, {out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}}};
    const int n = poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (n < 0 && errno != EINTR) return make_error(errno_text("poll"));
    if (n <= 0) continue;
    if (fds[0].revents != 0) {
      const auto w = write(in.fd[1], command.stdin_text.data() + written, command.stdin_text.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == command.stdin_text.size()) {
        in.close_end(1);  // done, or EPIPE: the child quit without reading everything
      }
    }
    for (int i = 1; i <= 2; ++i) {
      if (fds[static_cast<std::size_t>(i)].revents == 0) continue;
      Pipe& p = i == 1 ? out : err;
      const auto r = read(p.fd[0], buf.data(), buf.size());
      if (r > 0) {
        (i == 1 ? result.out : result.err).append(buf.data(), static_cast<std::size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        p.close_end(0);
      }
    }
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return make_error(errno_text("waitpid"));
  }
  if (timed_out) return make_error(program + ": no answer within " + std::to_string(timeout_.count()) + " ms, killed");
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace waf::iptables
