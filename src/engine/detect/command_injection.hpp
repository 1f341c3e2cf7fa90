#pragma once
// OS command injection: a small shell tokenizer looks at what follows each command boundary
// (start of value, ; | || && & newline, `...`, $(...), <(...)). After unquoting the word the shell
// would run ("c'a't", "c\at", "/bin/cat", "w$@hoami", "${IFS}" as a blank), a known program with
// a plausible argument (an option, a path, a URL, an address, a variable, nothing) is a finding.
// "Tom & Jerry; cat lovers" has a separator and a program name but no shell-like argument.
// Besides: cmd.exe IF/FOR statements, brace expansion building a name ("{,ifconfig}"), glob
// paths to binaries ("/???/c?t"), commands read from variables the value assigned, aliases.
#include <memory>
#include <string_view>

#include "engine/detect/detector.hpp"

namespace waf::engine {

// The detector's vocabulary, shared with its prefilter (command_injection_prefilter.cpp), which
// must admit every value that starts with one of these names.
namespace command_injection {

// Programs an injected command line runs: recon, download-and-run, shells and interpreters,
// reverse shells, Windows equivalents. Kept to names that are rarely English words on their own
// after a shell separator.
inline constexpr std::string_view kPrograms[] = {
    "aa-complain", "aa-disable", "aa-enforce", "aa-exec", "adduser", "ansible", "ansible-console",
    "ansible-playbook", "ansible-vault", "apt", "apt-get", "aptitude", "aria2c", "at", "awk", "axel", "base32",
    "base64", "bash", "bcdboot", "bcdedit", "bitsadmin", "bsdtar", "busybox", "bzip2", "c89", "c99", "cat",
    "cc", "cd", "certreq", "certutil", "chef-client", "chef-run", "chef-shell", "chef-vault", "chmod", "chown",
    "chroot", "cmd", "comm", "composer", "cp", "cpan", "cpulimit", "crontab", "cscli", "cscript", "csh", "curl",
    "dash", "date", "dd", "dig", "dir", "docker", "echo", "env", "eval", "ex", "exec", "expr", "fetch", "file",
    "find", "findstr", "flock", "ftp", "g++", "gcc", "gdb", "gem", "getent", "grep", "gwmi", "gzip", "head",
    "host", "hostname", "id", "iex", "ifconfig", "invoke-expression", "invoke-webrequest", "ip", "ipconfig",
    "iptables", "irb", "iwmi", "iwr", "java", "jjs", "jrunscript", "kill", "killall", "ksh", "kubectl", "less",
    "ln", "ls", "lua", "lwp-download", "lynx", "make", "mkfifo", "more", "mount", "mshta", "msiexec", "mv",
    "nc", "ncat", "net", "net1", "netcat", "netstat", "nmap", "node", "nohup", "npm", "nslookup", "od",
    "openssl", "perf", "perl", "php", "ping", "pip", "pip3", "pipx", "pkill", "poweroff", "powershell",
    "printenv", "printf", "ps", "pwd", "pwsh", "python", "python2", "python3", "rake", "rcp", "reboot", "reg",
    "regedit", "regsvr32", "rlwrap", "rm", "rmt", "rmt-dump", "rmt-tar", "rsync", "ruby", "rundll32", "sc",
    "schtasks", "scp", "screen", "sed", "service", "set", "sftp", "sh", "shred", "sleep", "socat", "ssh",
    "ssh-copy-id", "ssh-keygen", "start", "start-process", "strace", "strings", "su", "sudo", "sysctl",
    "systemctl", "systeminfo", "tail", "tar", "tasklist", "tclsh", "tcpdump", "tcsh", "tee", "telnet", "tftp",
    "timeout", "tmux", "top", "touch", "traceroute", "tracert", "trap", "type", "uname", "unzip", "useradd",
    "usermod", "uudecode", "ver", "vi", "vim", "visudo", "vssadmin", "wevtutil", "wget", "whoami", "whois",
    "wish", "wmic", "wscript", "xargs", "xterm", "xxd", "zip", "zsh",
};
// Programs that run the next word as a command: "time ifconfig", "sudo -u x id".
inline constexpr std::string_view kPrefixPrograms[] = {"time",    "nice",    "nohup",   "sudo",    "env",
                                                       "timeout", "xargs",   "exec",    "eval",    "command",
                                                       "builtin", "busybox", "strace",  "stdbuf"};

}  // namespace command_injection

std::unique_ptr<Detector> make_command_injection();

}  // namespace waf::engine
