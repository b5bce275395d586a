"""The demo seeds' shared skeleton (demo/seed.py): one home for --password/--force, the DEBUG
guard and the seed each one builds on, so a new seed cannot forget the guard."""

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from demo.seed import SeedCommand
from people.models import Organisation, User

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
