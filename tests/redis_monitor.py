"""The commands a real Redis server receives while some code runs (its MONITOR feed), for
tests that count round trips to the shared cache."""

import os
import threading


def worker_url(url: str) -> str:
    """`url` with a database of this xdist worker's own (12 + its number; the workers' caches
    are 10 + theirs, tests/conftest.py, and Redis has 16): a test that counts commands must not
    count the other worker's, nor have its cache emptied by it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw") or 12 + int(worker[2:]) > 15:
        return url
    return f"{url.rsplit('/', 1)[0]}/{12 + int(worker[2:])}"


def commands_during(url: str, action) -> list[str]:
    """Each command the server at `url` received for the database `url` names while `action()`
    ran, as the server wrote it (e.g. 'GET ":1:content:curriculum-generation"'). MONITOR shows
    every client of the server: another worker's commands (other databases) are left out."""
    import redis

    server = redis.Redis.from_url(url)
    database = server.connection_pool.connection_kwargs.get("db", 0)
    seen: list[str] = []
    ready = threading.Event()

    def watch():
        with server.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                text = command["command"]
                if "__stop__" in text:
                    return
                if int(command.get("db", database)) == database:
                    seen.append(text)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(5)
    try:
        action()
    finally:
        server.get("__stop__")
        watcher.join(5)
    return seen
