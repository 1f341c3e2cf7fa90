"""Option handling of `waf proxy`: validation (exit 2, one line naming the option) and precedence
flag > WAF_* environment > config file > default."""
import os
import shutil
import subprocess

import pytest

from wafproc import proxy_argv


def run_waf(waf_bin, *args, env=None):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WAF_")}
    full_env.update(env or {})
    return subprocess.run([waf_bin, "proxy", *args], capture_output=True, text=True, timeout=20, env=full_env)


@pytest.mark.parametrize("args,named", [
    (["--mode", "paranoid"], "--mode"),
    (["--upstream", "no-port-here"], "--upstream"),
    (["--upstream", "127.0.0.1:99999"], "--upstream"),
    (["--listen", "127.0.0.1:http"], "--listen"),
    (["--header-timeout", "soon"], "--header-timeout"),
    (["--max-header-bytes", "lots"], "--max-header-bytes"),
    (["--workers", "zero"], "--workers"),
    (["--trusted-proxies", "not-a-cidr"], "--trusted-proxies"),
    (["--no-such-flag"], "--no-such-flag"),
])
def test_bad_option_exits_2_with_one_line_naming_it(waf_bin, args, named):
    r = run_waf(waf_bin, *args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{r.stderr}"
    assert named in lines[0], lines[0]


def test_bad_mode_from_the_environment_is_rejected(waf_bin):
    r = run_waf(waf_bin, env={"WAF_MODE": "paranoid"})
    assert r.returncode == 2
    assert "mode" in r.stderr.lower()


def test_help_lists_the_contract_options(waf_bin):
    r = run_waf(waf_bin, "--help")
    assert r.returncode == 0
    for flag in ("--listen", "--upstream", "--admin-listen", "--workers", "--mode", "--inspect-body-limit",
                 "--max-header-bytes", "--max-connections", "--header-timeout", "--idle-timeout",
                 "--client-body-timeout", "--upstream-connect-timeout", "--upstream-response-timeout",
                 "--upstream-max-idle", "--drain-timeout", "--trusted-proxies", "--access-log", "--config"):
        assert flag in r.stdout, f"{flag} missing from --help"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAF_")}
    env.update(extra)
    return env


def mode_of(start_proxy, upstream, *flags, env=None):
    proxy = start_proxy(upstream.address, *flags, env=env)
    return proxy.status()["mode"]


def test_mode_from_environment(start_proxy, upstream):
    assert mode_of(start_proxy, upstream, env=clean_env(WAF_MODE="block")) == "block"


def test_default_mode_is_monitoring(start_proxy, upstream):
    assert mode_of(start_proxy, upstream, env=clean_env()) == "monitoring"


def test_flag_beats_environment(start_proxy, upstream):
    assert mode_of(start_proxy, upstream, "--mode", "off", env=clean_env(WAF_MODE="block")) == "off"


def test_config_file_is_honoured_and_environment_beats_it(start_proxy, upstream, tmp_path):
    cfg = tmp_path / "waf.toml"
    cfg.write_text('mode = "safe_blocking"\nworkers = "3"\n')
    proxy = start_proxy(upstream.address, "--config", str(cfg), env=clean_env())
    status = proxy.status()
    assert (status["mode"], status["workers"]) == ("safe_blocking", 3)
    assert mode_of(start_proxy, upstream, "--config", str(cfg), env=clean_env(WAF_MODE="block")) == "block"


def test_upstream_from_the_config_file(start_proxy, upstream, tmp_path):
    cfg = tmp_path / "waf.toml"
    cfg.write_text(f'upstream = "{upstream.address}"\n')
    proxy = start_proxy(None, "--config", str(cfg), env=clean_env())
    assert proxy.get("/via-config").body == b"/via-config"


def test_upstream_from_the_environment(start_proxy, upstream):
    proxy = start_proxy(None, env=clean_env(WAF_UPSTREAM=upstream.address))
    assert proxy.get("/via-env").body == b"/via-env"


def test_unknown_config_key_is_rejected(waf_bin, tmp_path):
    cfg = tmp_path / "waf.toml"
    cfg.write_text('no_such_key = "1"\n')
    r = run_waf(waf_bin, "--config", str(cfg))
    assert r.returncode == 2
    assert "no_such_key" in r.stderr


def test_default_workers_follow_the_cpus_the_process_may_use(start_proxy, upstream, waf_bin):
    if shutil.which("taskset") is None:
        pytest.skip("'taskset' is not installed (util-linux)")
    allowed = len(os.sched_getaffinity(0))
    proxy = start_proxy(None, argv=["taskset", "-c", str(min(os.sched_getaffinity(0)))]
                        + proxy_argv(waf_bin, upstream.address))
    assert proxy.status()["workers"] == 1, "one allowed CPU must mean one worker"
    # Unpinned: at most the CPUs of the affinity mask (a cgroup CPU quota may lower it further).
    assert 1 <= start_proxy(upstream.address).status()["workers"] <= allowed
