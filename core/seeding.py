"""Writing many demo rows at once, still checked: for the seeding commands."""

from collections.abc import Iterable, Sequence


def insert_checked(model, rows: Sequence, *, known: Iterable[str] = ()) -> list:
    """One INSERT for `rows` (in their order, so with the ids one save() each would give),
    each row first through full_clean's field checks: validators, choices, bounds, the
    identity-number guard. Left out are the checks that cost a query a row: the foreign keys
    named in `known` (objects the seed has just read or made), and the unique and check
    constraints, which the database enforces on the INSERT itself. bulk_create calls no save()
    and sends no post_save: a caller whose model has either does what they would have done."""
    known = list(known)
    for row in rows:
        row.full_clean(exclude=known, validate_unique=False, validate_constraints=False)
    return model.objects.bulk_create(rows)
