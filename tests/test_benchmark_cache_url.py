"""The page benchmarks' cache (issue 23): each process's local memory unless --cache-url names
a shared one, whatever REDIS_URL the caller's environment holds."""

from benchmarks import inprocess, pages


def test_the_benchmarks_use_local_memory_unless_told_otherwise(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert pages.parse_args([]).cache_url == ""
    assert pages.production_environment("/tmp/s")["CACHE_URL"].startswith("locmemcache://")  # noqa: S108
    redis = "redis://127.0.0.1:6384/0"
    args = pages.parse_args(["--cache-url", redis])
    env = pages.production_environment("/tmp/s", args.conn_max_age, args.cache_url)  # noqa: S108
    assert env["CACHE_URL"] == redis
    assert inprocess.parse_args(["--cache-url", redis]).cache_url == redis
    assert inprocess.parse_args([]).profile_clock == "cpu"
