"""The introduction's module on threats and violence in the exercise of authority (issue 22):
in the introduction course, covering each topic the issue names, with a knowledge check and a
reflection prompt like the other modules."""

import re

from demo import loader

SLUG = "hot-och-vald-i-myndighetsutovning"
# The topics, each a heading of the module (case-insensitive).
TOPICS = {
    "risk signals": r"risksignaler",
    "safety routines": r"säkerhetsrutiner",
    "planning a home visit": r"planera ett hembesök",
    "de-escalation": r"deeskalering",
    "what to do afterwards": r"efteråt",
    "the employer's duties": r"arbetsgivarens ansvar",
}


def _module():
    introduction, _leadership = loader.load_curriculum()
    return introduction, next(m for m in introduction["modules"] if m["slug"] == SLUG)


def test_the_module_is_in_the_introduction_and_covers_every_topic():
    introduction, module = _module()
    assert introduction["slug"] == "yrkesintroduktion-barn-och-unga"
    assert module["title"] == "Hot och våld i myndighetsutövning"
    headings = [value for kind, value in module["body"] if kind == "heading"]
    for topic, pattern in TOPICS.items():
        assert any(re.search(pattern, h, re.I) for h in headings), topic
    text = " ".join(str(value) for _kind, value in module["body"])
    # Where to report: the municipality's own system, and the serious cases to the authority.
    assert "KIA" in text and "IA" in text and "Arbetsmiljöverket" in text
    assert "AFS 2023:2" in text


def test_the_module_has_a_knowledge_check_and_a_reflection_prompt():
    _introduction, module = _module()
    # A pool: each attempt draws its questions from more than it asks (issue 19).
    assert module["questions_per_attempt"] == 4 and len(module["questions"]) == 6
    for question in module["questions"]:
        assert any(correct for _text, correct in question["choices"]), question["text"]
    assert [value for kind, value in module["body"] if kind == "reflection"]
