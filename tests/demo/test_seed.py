"""The demo seeds' shared skeleton (demo/seed.py): one home for --password/--force, the DEBUG
guard and the seed each one builds on, so a new seed cannot forget the guard; and the pages a
seed makes indexed once, when they are all made."""

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from wagtail.models import Page, ReferenceIndex

from content.models import ModulePage
from demo.seed import SeedCommand, indexed_once
from people.models import Organisation, User
from tests.factories import question, stream

pytestmark = pytest.mark.django_db


def _commands_with_force() -> dict[str, object]:
    commands = {}
    for name, app in get_commands().items():
        if not name.startswith("seed_"):
            continue
        command = load_command_class(app, name)
        parser = command.create_parser("manage.py", name)
        if any("--force" in action.option_strings for action in parser._actions):
            commands[name] = command
    return commands


def test_every_seed_with_force_uses_the_shared_skeleton():
    commands = _commands_with_force()
    assert {"seed_demo", "seed_mentoring", "seed_safety", "seed_pulse", "seed_followup"} <= set(
        commands
    )
    assert {
        name for name, command in commands.items() if not isinstance(command, SeedCommand)
    } == set()


def test_the_chain_runs_back_to_seed_demo():
    chain, name = [], "seed_followup"
    while name is not None:
        chain.append(name)
        name = load_command_class(get_commands()[name], name).after
    assert chain == ["seed_followup", "seed_pulse", "seed_safety", "seed_mentoring", "seed_demo"]


@pytest.mark.parametrize("name", sorted(_commands_with_force()))
def test_with_debug_off_a_seed_refuses_without_force_and_writes_nothing(name, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=f"^{name} skapar demodata: kör inte med DEBUG av"):
        call_command(name)
    assert not User.objects.exists()
    assert not Organisation.objects.exists()


def _linking_module(course, *, title: str, to: Page) -> ModulePage:
    module = ModulePage(
        title=title,
        intro="Ingress.",
        body=stream([("paragraph", f'<p>Läs först <a linktype="page" id="{to.pk}">den</a>.</p>')]),
        knowledge_check=stream([question()]),
        pass_mark=70,
        estimated_minutes=15,
    )
    course.add_child(instance=module)
    module.save_revision().publish()
    return module


def _found(word: str) -> list[Page]:
    return list(ModulePage.objects.live().search(word))


def _links(page) -> list[tuple[str, str]]:
    return list(
        ReferenceIndex.get_references_for_object(page).values_list("to_object_id", "model_path")
    )


def test_indexed_once_indexes_the_pages_made_inside_when_it_ends(course):
    target = course.modules().first()
    with indexed_once() as made:
        module = _linking_module(course, title="Kvarnstensmodul", to=target)
        made.append(module)
        # Three saves (add_child, revision, publish), and no index written yet.
        assert _found("Kvarnstensmodul") == []
        assert _links(module) == []
    assert _found("Kvarnstensmodul") == [module]
    assert _links(module) == [(str(target.pk), "body.paragraph")]


def test_after_indexed_once_a_save_indexes_again_even_after_an_error(course):
    target = course.modules().first()
    with pytest.raises(RuntimeError), indexed_once():
        raise RuntimeError
    module = _linking_module(course, title="Efterordsmodul", to=target)
    assert _found("Efterordsmodul") == [module]
    assert _links(module) == [(str(target.pk), "body.paragraph")]
