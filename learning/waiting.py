"""Learning's part of "Väntar på mig" (people.waiting): modules overdue or due within two
weeks. On the dashboard they are read from the dashboard's own progress (no query); on the
other landing pages from the one place that decides "overdue" (selectors.overdue_modules),
in the block's one query, titled in the reader's language like the dashboard."""

import datetime

from django.conf import settings
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core.dates import format_date
from learning import selectors
from learning.models import Enrolment, ModuleDue
from people import waiting
from people.models import LEARNER_ROLES

# "Due soon": two weeks is the rhythm of the first months' mentor meetings, so a module due
# before the next meeting shows up in time to be read.
DUE_SOON = datetime.timedelta(days=14)
MODULE_DUE = _("%(module)s (%(course)s)")
DUE_ON = _("klart senast %(date)s")


def _item(*, module: str, course: str, url: str, due: datetime.date, overdue: bool):
    return waiting.WaitingItem(
        title=str(MODULE_DUE % {"module": module, "course": course}),
        url=url,
        detail=str(DUE_ON % {"date": format_date(due)}),
        day=due,
        is_urgent=overdue,
    )


def module_items(context) -> list[waiting.WaitingItem]:
    """From the dashboard's courses (`hints["courses"]`): no query."""
    horizon = context.today + DUE_SOON
    items = []
    for course in context.hints["courses"]:
        for status in course.modules:
            if status.is_complete or status.due_date is None:
                continue
            if status.is_overdue or status.due_date <= horizon:
                items.append(
                    _item(
                        module=status.module.title,
                        course=course.course.title,
                        # The outline's link (content.outline): `.url` reads the site root
                        # paths from the cache again for every item, a round trip to Redis.
                        url=status.module.list_url or "",
                        due=status.due_date,
                        overdue=status.is_overdue,
                    )
                )
    return sorted(items, key=lambda item: item.day)


def _page_column(id_field: str, column: str) -> Subquery:
    return Subquery(
        Page.objects.filter(pk=OuterRef(id_field)).values(column)[:1],
        output_field=CharField(),
    )


def _title(id_field: str):
    """The page's title in the active language: its live translation's, else the original's
    (as the dashboard titles them, learning.selectors.progress).

    Subqueries by primary key, not joins: joined, the module's and the course's pages made the
    view's six relations ten, and planning them cost the mentor overview's waiting block three
    quarters of its planning time (3.0 -> 0.9 ms at 30,000 staff, issue 23). A subquery per row
    is an index lookup, and the rows are one person's modules due within two weeks."""
    original = _page_column(id_field, "title")
    language = translation.get_language()
    if language in (None, settings.LANGUAGE_CODE):
        return original
    translated = Page.objects.live().filter(
        translation_key=Subquery(
            Page.objects.filter(pk=OuterRef(OuterRef(id_field))).values("translation_key")[:1]
        ),
        locale__language_code=language,
    )
    return Coalesce(Subquery(translated.values("title")[:1]), original)


def module_parts(context) -> list[waiting.Part] | None:
    """The modules not completed, due by two weeks from today or overdue, of the courses the
    person has not withdrawn from. None on the dashboard, which has read them already."""
    if context.hints.get("courses") is not None:
        return None
    today = context.today
    modules = ModuleDue.objects.filter(
        user_id=context.user.pk,
        due_date__isnull=False,
        due_date__lte=today + DUE_SOON,
        completed_at__isnull=True,
    ).exclude(status=Enrolment.Status.WITHDRAWN)
    return [
        waiting.Part(
            modules,
            kind="module",
            columns={
                "id": "module_id",
                "day": "due_date",
                "name": _title("module_id"),
                "text": _title("course_id"),
                "code": _page_column("module_id", "url_path"),
                "number": selectors.overdue_flag(on=today),
            },
        )
    ]


def module_rows(rows, context) -> list[waiting.WaitingItem]:
    items = [
        _item(
            module=row["w_name"],
            course=row["w_text"],
            # Page.url reads the url path and the cached site root paths only: no query.
            url=Page(pk=row["w_id"], url_path=row["w_code"]).url or "",
            due=row["w_day"],
            overdue=bool(row["w_number"]),
        )
        for row in rows
    ]
    return sorted(items, key=lambda item: item.day)


def register() -> None:
    waiting.register(
        waiting.Provider(
            "learning.modules",
            _("Moduler att bli klar med"),
            parts=module_parts,
            render=module_rows,
            items=module_items,
            order=60,
            roles=frozenset(LEARNER_ROLES),
        )
    )
