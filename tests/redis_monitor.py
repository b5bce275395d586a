"""The commands a real Redis server receives while some code runs (its MONITOR feed), for
tests that count round trips to the shared cache."""

import threading


def commands_during(url: str, action) -> list[str]:
    """Each command the server at `url` received while `action()` ran, as the server wrote it
    (e.g. 'GET ":1:content:curriculum-generation"')."""
    import redis

    server = redis.Redis.from_url(url)
    seen: list[str] = []
    ready = threading.Event()

    def watch():
        with server.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                text = command["command"]
                if "__stop__" in text:
                    return
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
