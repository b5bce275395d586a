"""learning.services is a package by sub-domain; `from learning import services` then
`services.<name>` must keep reaching every public write and message, wherever it lives."""

import ast
import importlib
import inspect
import pkgutil

import learning.services as services


def _public_names(module) -> set[str]:
    """The functions and constants a sub-module defines itself (not those it imports)."""
    tree = ast.parse(inspect.getsource(module))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return {name for name in names if not name.startswith("_")}


def _submodules():
    return [
        importlib.import_module(f"learning.services.{info.name}")
        for info in pkgutil.iter_modules(services.__path__)
    ]


def test_the_package_has_its_sub_domains():
    names = {module.__name__.rsplit(".", 1)[1] for module in _submodules()}
    assert {"enrolment", "progress", "checks", "certificates", "runs", "onboarding"} <= names


def test_every_public_write_is_reached_through_the_package():
    # QUEUE_ASIDE is the waitlist's internal offset, shared only with run management.
    internal = {"QUEUE_ASIDE"}
    missing = {
        f"{module.__name__}.{name}"
        for module in _submodules()
        for name in _public_names(module) - internal
        if getattr(services, name, None) is not getattr(module, name)
    }
    assert not missing, f"not re-exported by learning.services: {sorted(missing)}"
    assert set(services.__all__) >= {
        name for module in _submodules() for name in _public_names(module) - internal
    }


def test_the_names_other_code_calls_are_there():
    for name in (
        "enrol_in_course",
        "self_enrol",
        "open_module",
        "start_module",
        "open_attempt",
        "submit_knowledge_check",
        "complete_module",
        "issue_certificate",
        "enrol_in_course_run",
        "withdraw_from_course_run",
        "mark_attendance",
        "apply_onboarding_plan",
        "CHECK_CHANGED",
        "COURSE_NOT_PUBLISHED",
    ):
        assert callable(getattr(services, name)) or name.isupper()
