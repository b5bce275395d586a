"""Locust user for benchmarks.pages: GETs one page as logged-in people, as fast as it can.

Configured by the environment (benchmarks.pages sets it): BENCH_TARGETS is a JSON list of
[session key, path] pairs, BENCH_COOKIE the session cookie's name, BENCH_OUT the file that
receives every response time (ms) and the run's first and last timestamps, so percentiles are
exact rather than locust's rounded buckets.
"""

import json
import os
import random
import time

from locust import FastHttpUser, constant, events, task

TARGETS = json.loads(os.environ.get("BENCH_TARGETS", "[]"))
COOKIE = os.environ.get("BENCH_COOKIE", "sessionid")
_times: list[float] = []
_failures: list[str] = []
_window = {"first": None, "last": None}


class PageUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self):
        session_key, path = random.choice(TARGETS)
        started = time.perf_counter()
        with self.client.get(
            path,
            headers={"Cookie": f"{COOKIE}={session_key}"},
            allow_redirects=False,
            catch_response=True,
            name="page",
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")
                _failures.append(f"{path}: HTTP {response.status_code}")
                return
            ended = time.perf_counter()
            _times.append((ended - started) * 1000)
            _window["first"] = _window["first"] or started
            _window["last"] = ended


@events.quitting.add_listener
def _write(environment, **kwargs):
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(out, "w") as handle:
            json.dump({"times_ms": _times, "failures": _failures[:20], **_window}, handle)
