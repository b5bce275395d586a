"""No jargon on any page: words from the matching algorithm's source ("girig metod", greedy)
never reach a template or a translated string a user reads."""

import re
from pathlib import Path

import polib
from django.conf import settings

JARGON = ("girig", "greedy")
# Template code (variables, tags) may name fields after the algorithm; the words shown may not.
CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
TRANSLATE = re.compile(r"\{%\s*(?:translate|trans)\s+\"(.*?)\".*?%\}", re.S)


def shown_text(template: str) -> str:
    return CODE.sub("", TRANSLATE.sub(r"\1", template)).lower()


def test_no_page_or_message_uses_algorithm_jargon():
    root = Path(settings.BASE_DIR)
    templates = [
        path
        for path in root.glob("*/templates/**/*.*")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]
    offending = [
        str(path.relative_to(root))
        for path in templates
        if any(word in shown_text(path.read_text(encoding="utf-8")) for word in JARGON)
    ]
    for language in ("sv", "en"):
        po = polib.pofile(str(root / "locale" / language / "LC_MESSAGES" / "django.po"))
        offending += [
            f"{language}: {entry.msgid}"
            for entry in po
            if not entry.obsolete
            and any(word in (entry.msgid + entry.msgstr).lower() for word in JARGON)
        ]
    assert offending == []
