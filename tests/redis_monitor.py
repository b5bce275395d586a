"""For tests that count round trips to the shared cache (with
benchmarks.redis_commands.commands_during, the server's MONITOR feed): a database of the
worker's own."""

from tests import redis_dbs


def worker_url(url: str) -> str:
    """`url` with a database of this xdist worker's own (tests/redis_dbs.py): a test that counts
    commands must not count the other worker's, nor have its cache emptied by it."""
    return redis_dbs.url(url, redis_dbs.COUNTED)
