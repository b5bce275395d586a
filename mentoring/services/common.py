"""Helpers the mentorship and case services share."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models, transaction


def full_clean_with(obj: models.Model, errors: dict, **kwargs) -> None:
    """full_clean, with its errors added to ours so the user sees every problem at once; a
    message already reported (e.g. the reference taken) is not repeated."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        shown = {str(m) for messages in errors.values() for m in messages}
        for name, messages in error.message_dict.items():
            new = [str(m) for m in messages if str(m) not in shown]
            if new:
                errors.setdefault(name, []).extend(new)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def queue_once(
    model: type[models.Model], deliver: Callable[[models.Model], object], **key
) -> models.Model | None:
    """Create the row that stands for one notice (reminder, alert) and, in the same
    transaction, `deliver(row)` queues its emails in the outbox. The row's unique key makes a
    retried or repeated run send nothing twice: None when the row already exists."""
    row, created = model.objects.get_or_create(**key)
    if not created:
        return None
    deliver(row)
    return row
