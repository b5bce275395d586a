"""Reads the demo curriculum from demo/curriculum/ and the leadership course's runs from
demo/course_runs.yaml, for learning's seed_demo command.

Layout: one folder per course, `<nn>-<course-slug>/`, holding `course.yaml` (title, summary,
audience, learning outcomes …) and one Markdown file per module, `<nn>-<module-slug>.md`; the
numbers give the order. A module file has YAML front matter (title, intro, minutes, pass mark and
the knowledge check's questions) and a body of blocks separated by blank lines:

    ## Heading                        a heading block
    <p>…</p>                          a paragraph block: consecutive lines joined as they are,
    <ul>                              so one element per line reads well and changes nothing
    ::: vignette Title                a callout (vignette, info or warning) with a title,
    <p>…</p>                          its rich text up to the closing :::
    :::
    ::: reflection                    the reflection prompt for the mentor conversation
    Text …
    :::
"""

import datetime
import re
from pathlib import Path

import yaml

DEMO_DIR = Path(__file__).resolve().parent
CURRICULUM_DIR = DEMO_DIR / "curriculum"
RUNS_FILE = DEMO_DIR / "course_runs.yaml"
CALLOUT_KINDS = ("vignette", "info", "warning")
_NUMBERED = re.compile(r"^\d+-(?P<slug>[a-z0-9-]+)$")


class DemoDataError(ValueError):
    """A demo data file that does not follow the layout above; names the file and the line."""


def _yaml(text: str):
    """PyYAML's safe loading, with libyaml's parser when PyYAML has it: the same documents in a
    tenth of the time (a test reads the runs file for every day of four years, 55 s in Python)."""
    if yaml.__with_libyaml__:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    return yaml.safe_load(text)


def load_curriculum(root: Path = CURRICULUM_DIR) -> list[dict]:
    """Every course with its modules, in folder and file order."""
    courses = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        course = _yaml((folder / "course.yaml").read_text(encoding="utf-8"))
        course["slug"] = _slug(folder)
        course["modules"] = [load_module(path) for path in sorted(folder.glob("*.md"))]
        courses.append(course)
    return courses


def load_module(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"\A---\n(?P<front>.*?)\n---\n(?P<body>.*)\Z", text, re.DOTALL)
    if match is None:
        raise DemoDataError(f"{path}: expected YAML front matter between two '---' lines")
    module = _yaml(match["front"])
    module["slug"] = _slug(path)
    module["body"] = parse_body(match["body"], path=path)
    module["questions"] = [
        {**q, "choices": [(c["text"], c["correct"]) for c in q["choices"]]}
        for q in module["questions"]
    ]
    return module


def parse_body(text: str, *, path: Path) -> list[tuple]:
    blocks: list[tuple] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("## "):
            blocks.append(("heading", line[3:]))
            i += 1
        elif line.startswith(":::"):
            opening, i = line, i + 1
            content = []
            while i < len(lines) and lines[i] != ":::":
                content.append(lines[i])
                i += 1
            if i == len(lines):
                raise DemoDataError(f"{path}: '{opening}' is never closed with ':::'")
            i += 1
            blocks.append(_fenced(opening, "".join(content), path=path))
        else:
            content = []
            while i < len(lines) and lines[i].strip():
                content.append(lines[i])
                i += 1
            blocks.append(("paragraph", "".join(content)))
    return blocks


def _fenced(opening: str, content: str, *, path: Path) -> tuple:
    kind, _, title = opening[3:].strip().partition(" ")
    if kind == "reflection":
        return ("reflection", content)
    if kind in CALLOUT_KINDS and title:
        return ("callout", {"kind": kind, "title": title, "text": content})
    raise DemoDataError(
        f"{path}: '{opening}' – expected '::: reflection' or '::: <kind> <title>' with kind "
        f"one of {', '.join(CALLOUT_KINDS)}"
    )


def _slug(path: Path) -> str:
    match = _NUMBERED.match(path.stem if path.is_file() else path.name)
    if match is None:
        raise DemoDataError(f"{path}: expected a name like '01-some-slug'")
    return match["slug"]


# --- Course runs --------------------------------------------------------------------------

SEASONS = {12: "Vintern", 1: "Vintern", 2: "Vintern", 3: "Våren", 4: "Våren", 5: "Våren"}
SEASONS |= dict.fromkeys((6, 7, 8), "Sommaren") | dict.fromkeys((9, 10, 11), "Hösten")


def first_start(today: datetime.date, *, days_ahead: int, weekday: int) -> datetime.date:
    """The first `weekday` (0 = Monday) at least `days_ahead` days after today."""
    day = today + datetime.timedelta(days=days_ahead)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def run_name(start: datetime.date, end: datetime.date, where: str) -> str:
    """ "Vintern 2026–2027, Lund": the season the run's middle falls in, and its years."""
    middle = start + (end - start) / 2
    years = str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return f"{SEASONS[middle.month]} {years}, {where}"


def load_course_runs(today: datetime.date, path: Path = RUNS_FILE) -> list[dict]:
    """The leadership course's runs with dates counted from `today` (the day the seed runs), so
    that the demo never goes stale: every run still open for sign-up, every session ahead."""
    data = _yaml(path.read_text(encoding="utf-8"))
    anchor = first_start(today, days_ahead=data["first_start_days_ahead"], weekday=data["weekday"])
    runs = []
    for run in data["runs"]:
        start = anchor + datetime.timedelta(days=run["starts"])

        def day(offset, start=start):
            return start + datetime.timedelta(days=offset)

        end = day(run["ends"])
        runs.append(
            {
                "name": run_name(start, end, run["where"]),
                "start_date": start,
                "end_date": end,
                "enrolment_deadline": day(run["enrolment_deadline"]),
                "place": run["place"],
                "online_url": run["online_url"],
                "seats": run["seats"],
                "sessions": [
                    (day(offset), _time(begins, path), _time(finishes, path), place)
                    for offset, begins, finishes, place in run["sessions"]
                ],
            }
        )
    return runs


def _time(value, path: Path) -> datetime.time:
    if not isinstance(value, str):
        raise DemoDataError(f'{path}: write times in quotes, "09:00", not {value!r}')
    return datetime.time.fromisoformat(value)
