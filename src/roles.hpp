#pragma once
// Entry points of the roles; main.cpp dispatches to them. Each takes the role's own argv
// (argv[0] = "waf <role>") and returns the process exit code.
namespace waf {
namespace proxy { int run(int argc, const char* const* argv); }
namespace controller { int run(int argc, const char* const* argv); }
namespace iptables { int run(int argc, const char* const* argv); }
namespace postanalytics { int run(int argc, const char* const* argv); }
namespace inspect { int run(int argc, const char* const* argv); }
namespace demo { int run(int argc, const char* const* argv); }
}  // namespace waf
