"""Templates never decide: they read flags and enum properties that models and selectors
prepared (STYLE.md). A comparison with a string literal in a template is a rule written a
second time, and it breaks silently when the enum's value changes."""

import re
from pathlib import Path

from django.conf import settings

APPS = ("people", "content", "learning", "mentoring", "team")
# `{% if x == "value" %}`, `!= 'value'`, `"value" == x` inside a template tag.
LITERAL_COMPARISON = re.compile(r"{%[^%]*?(?:(?:==|!=)\s*[\"']|[\"']\s*(?:==|!=))[^%]*%}")
# Framework values, not our enums: the 503 page (rendered without the database) compares the
# active language code, and the shared form include Django's widget type.
EXEMPT = {
    ("templates/503.html", 'language != "en"'),
    ("templates/includes/form_fields.html", 'field.widget_type != "checkbox"'),
}


def _templates() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [Path(settings.BASE_DIR) / app / "templates" for app in APPS]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".html", ".txt"})


def test_the_walk_finds_the_templates():
    names = {p.name for p in _templates()}
    assert {"base.html", "mentorship.html", "course_runs.html", "callout.html"} <= names


def test_the_pattern_catches_literal_comparisons():
    assert LITERAL_COMPARISON.search('{% if m.status == "active" %}')
    assert LITERAL_COMPARISON.search("{% elif value.kind != 'warning' %}")
    assert LITERAL_COMPARISON.search('{% if "active" == m.status %}')
    assert not LITERAL_COMPARISON.search("{% if m.is_active %}")
    assert not LITERAL_COMPARISON.search('<a href="x">==</a> "quoted" text')


def test_no_template_compares_with_a_string_literal():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}: {match.group(0)}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in LITERAL_COMPARISON.finditer(line)
        if not any(
            str(path.relative_to(settings.BASE_DIR)) == name and text in match.group(0)
            for name, text in EXEMPT
        )
    ]
    assert offenders == [], "Use an enum property or a selector's flag:\n" + "\n".join(offenders)
