"""The end-of-run summary of where the suite's time went (tests/timing.py)."""

from types import SimpleNamespace

from tests.timing import Timings


def _report(nodeid, when, duration, worker=None):
    node = SimpleNamespace(gateway=SimpleNamespace(id=worker)) if worker else None
    return SimpleNamespace(nodeid=nodeid, when=when, duration=duration, node=node)


def test_time_is_summed_by_phase_worker_and_file():
    timings = Timings()
    for report in [
        _report("tests/a.py::test_one", "setup", 6.0, "gw0"),
        _report("tests/a.py::test_one", "call", 1.0, "gw0"),
        _report("tests/a.py::test_one", "teardown", 1.0, "gw0"),
        _report("tests/a.py::test_two[x]", "setup", 2.0, "gw0"),
        _report("tests/a.py::test_two[x]", "call", 2.0, "gw0"),
        _report("tests/b.py::test_three", "setup", 1.0, "gw1"),
        _report("tests/b.py::test_three", "call", 7.0, "gw1"),
        _report("tests/b.py::test_three", "collect", 99.0, "gw1"),  # not a test phase
    ]:
        timings.add(report)

    assert timings.lines() == [
        "test time 20 s: setup 9 s (45%), call 10 s (50%), teardown 1 s (5%)",
        "busy per worker: gw0 12 s, gw1 8 s",
        "slowest files (fixtures + body, tests): of 2",
        "     12.0 s  (9.0 + 3.0, 2 tests)  tests/a.py",
        "      8.0 s  (1.0 + 7.0, 1 tests)  tests/b.py",
    ]


def test_a_run_without_xdist_counts_as_one_worker():
    timings = Timings()
    timings.add(_report("tests/a.py::test_one", "call", 3.0))
    assert timings.lines()[1] == "busy per worker: main 3 s"


def test_nothing_run_prints_nothing():
    assert Timings().lines() == []
