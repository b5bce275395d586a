"""Where the suite's time goes, printed at the end of every run: the seconds spent in each
phase (set-up, call, teardown), on each xdist worker, and in the slowest files.

`--durations` lists single entries; what decides the suite's time is where they add up. Set-up
is fixtures (the page tree, the cast, the worker's test database, which lands in its first
test's set-up); call is the test body; a worker that is busy much longer than the other is a
file that `--dist loadfile` could not split. The figures are pytest's own durations, summed in
the process that prints the summary (the xdist controller receives every worker's reports):
wall seconds of each test, so on a loaded machine they include the time spent waiting for a
core."""

import dataclasses
from collections import defaultdict

PHASES = ("setup", "call", "teardown")
SLOWEST_FILES = 15


@dataclasses.dataclass
class Timings:
    by_phase: dict = dataclasses.field(default_factory=lambda: defaultdict(float))
    by_worker: dict = dataclasses.field(default_factory=lambda: defaultdict(float))
    by_file: dict = dataclasses.field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0]))
    tests_by_file: dict = dataclasses.field(default_factory=lambda: defaultdict(set))

    def add(self, report) -> None:
        """Count one pytest TestReport (set-up, call or teardown of one test)."""
        if report.when not in PHASES:
            return
        duration = float(report.duration)
        path = report.nodeid.split("::", 1)[0]
        self.by_phase[report.when] += duration
        node = getattr(report, "node", None)  # set by pytest-xdist on the controller
        worker = getattr(getattr(node, "gateway", None), "id", None) or "main"
        self.by_worker[worker] += duration
        # Set-up and teardown together, and the call: fixtures against test bodies per file.
        self.by_file[path][0 if report.when != "call" else 1] += duration
        self.tests_by_file[path].add(report.nodeid)

    def lines(self) -> list[str]:
        total = sum(self.by_phase.values())
        if not total:
            return []
        phases = ", ".join(
            f"{when} {self.by_phase[when]:.0f} s ({self.by_phase[when] / total:.0%})"
            for when in PHASES
        )
        workers = ", ".join(
            f"{worker} {seconds:.0f} s" for worker, seconds in sorted(self.by_worker.items())
        )
        out = [
            f"test time {total:.0f} s: {phases}",
            f"busy per worker: {workers}",
            f"slowest files (fixtures + body, tests): of {len(self.by_file)}",
        ]
        slowest = sorted(self.by_file.items(), key=lambda item: -sum(item[1]))[:SLOWEST_FILES]
        for path, (fixtures, body) in slowest:
            count = len(self.tests_by_file[path])
            out.append(
                f"  {fixtures + body:7.1f} s  ({fixtures:.1f} + {body:.1f}, {count} tests)  {path}"
            )
        return out
