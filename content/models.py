"""Wagtail pages of the curriculum: the home page, the catalogue, courses and their modules."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, When
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from content.blocks import KnowledgeCheckBlock, ModuleBodyBlock


class Audience(models.TextChoices):
    NEW_HIRES = "new_hires", _("Nyanställda")
    MENTORS = "mentors", _("Mentorer")
    MANAGERS = "managers", _("Chefer")


class CourseKind(models.TextChoices):
    SELF_PACED = "self_paced", _("I egen takt")
    COHORT = "cohort", _("Kursomgångar med grupp")


def translations_of(model, pages, *, language: str | None = None) -> dict:
    """The live translations of `pages` in `language` (default: the active language), keyed by
    translation key: one query, and none when the language is Swedish, the original's."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return {}  # before the keys: a module page passes 66 pages (~30 µs of hashing UUIDs)
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    return {
        page.translation_key: page
        for page in model.objects.live().filter(
            translation_key__in=keys, locale__language_code=language
        )
    }


def originals_first() -> Case:
    """Order pages that share a translation key so that the Swedish original comes first."""
    return Case(When(locale__language_code=settings.LANGUAGE_CODE, then=0), default=1)


def localized(model, pages: list, *, language: str | None = None) -> list:
    """`pages` with each one replaced by its live translation in the language, if it has one."""
    translations = translations_of(model, pages, language=language)
    return [translations.get(page.translation_key, page) for page in pages]


def route_to_child(parent: Page, child_model, request, path_components):
    """Route through a page whose children are all of one type: the child is fetched as that
    type in one query, where Wagtail's default fetches the base page and then the specific
    one (two queries per level). A child that is only passed through on the way to a page
    below it (a course on the way to its module) comes from the cached course outline, without
    a query; the page served is always read fresh. Anything else falls back to Wagtail's
    routing."""
    if not path_components:
        return Page.route(parent, request, path_components)
    slug, remaining = path_components[0], path_components[1:]
    from content.outline import child_for_routing, page_to_serve  # it imports the models

    if remaining:
        # Shared with other requests: passed through, never changed.
        child = child_for_routing(parent, child_model, slug)
    else:
        child = page_to_serve(parent, child_model, slug)  # read fresh, this request's own
        if child is not None:
            child._cached_parent_obj = parent  # as Wagtail does: get_parent() costs no query
            # Pages that serve learner data (a module's course) read the parent routed through.
            child.routed_parent = parent
    if child is None:
        return Page.route(parent, request, path_components)
    return child.route(request, remaining)


class ServedFresh:
    """A page route_to_child serves, read fresh by content.outline.page_to_serve, which also
    says whether a page on its way from the root (itself included) carries a view restriction
    or is an alias. When none does, Wagtail's check (before_serve_page) has nothing to find and
    asks nothing: it read the page's ancestors and then their restrictions, two queries and
    ~0.7 ms of the module page's CPU (benchmarks/README.md, "Module page, session 33").
    Anything else, a page read any other way included, is checked as Wagtail checks it."""

    view_restrictions_absent: bool = False

    def get_view_restrictions(self):
        if self.view_restrictions_absent:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(Page):
    intro = RichTextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content.CatalogPage", "content.InfoPage"]
    max_count = 1

    class Meta:
        verbose_name = _("startsida")
        verbose_name_plural = _("startsidor")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = CatalogPage.objects.live().child_of(self).first()
        return context

    def route(self, request, path_components):
        # Wagtail routes from the home page in the active language. A path that is not in this
        # language's tree is a page not (yet) translated, or a link with the other language's
        # slugs: route it in the other trees, and serve the translation in this language when
        # there is one. So every link works for everyone, in their language when possible.
        try:
            if len(path_components) > 1:
                # Through the catalogue to a course or module: the catalogue from the outline.
                return route_to_child(self, CatalogPage, request, path_components)
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
        others = (
            HomePage.objects.live()
            .filter(translation_key=self.translation_key)
            .exclude(pk=self.pk)
            .order_by(originals_first())
        )
        for home in others:
            try:
                result = Page.route(home, request, path_components)
            except Http404:
                continue
            translated = (
                Page.objects.live()
                .filter(translation_key=result.page.translation_key, locale_id=self.locale_id)
                .specific()
                .first()
            )
            if translated is None:
                return result
            return RouteResult(translated, args=result.args, kwargs=result.kwargs)
        raise Http404


class CatalogPage(ServedFresh, Page):
    """The course catalogue (kurskatalog): published courses, filterable by audience."""

    intro = RichTextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.CoursePage"]
    # The explorer lists the courses in the catalogue's order, not the last edited first.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("kurskatalog")
        verbose_name_plural = _("kurskataloger")

    def route(self, request, path_components):
        return route_to_child(self, CoursePage, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The Swedish catalogue's courses (this page or its original), each shown in the active
        # language when it has been translated; an English catalogue lists untranslated
        # courses too.
        original = CatalogPage.objects.filter(
            translation_key=self.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).values("path")
        courses = (
            CoursePage.objects.live()
            .public()
            .filter(depth=self.depth + 1)
            .alias(catalog_path=Substr("path", 1, len(self.path)))
            .filter(catalog_path__in=original)
            .order_by("path")
        )
        audience = request.GET.get("malgrupp", "")
        if audience in Audience.values:
            courses = courses.filter(audience=audience)
        else:
            audience = ""
        courses = localized(CoursePage, list(courses))
        context.update(courses=courses, audiences=Audience.choices, audience=audience)
        return context


class CoursePage(ServedFresh, Page):
    summary = models.TextField(_("sammanfattning"))
    audience = models.CharField(
        _("målgrupp"), max_length=16, choices=Audience.choices, default=Audience.NEW_HIRES
    )
    kind = models.CharField(
        _("kursform"), max_length=16, choices=CourseKind.choices, default=CourseKind.SELF_PACED
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Lärandemål")))],
        verbose_name=_("lärandemål"),
        blank=True,
    )
    estimated_hours = models.PositiveSmallIntegerField(
        _("beräknad tid (timmar)"), default=1, validators=[MinValueValidator(1)]
    )
    prerequisites = ParentalManyToManyField(
        "content.CoursePage",
        blank=True,
        related_name="required_by",
        verbose_name=_("förkunskapskrav"),
        help_text=_("Kurser som ska vara klara innan den här kursen kan påbörjas."),
    )
    sequential_modules = models.BooleanField(
        _("moduler i ordning"),
        default=False,
        help_text=_("Lås varje modul tills den föregående är klar."),
    )
    certificate_validity_months = models.PositiveSmallIntegerField(
        _("intygets giltighetstid (månader)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Lämna tomt om intyget gäller tills vidare."),
    )
    credits = models.DecimalField(
        _("högskolepoäng"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1"))],
        help_text=_("Kursens omfattning i högskolepoäng (hp), anges på intyget."),
    )
    requires_approval = models.BooleanField(
        _("anmälan kräver godkännande"),
        default=False,
        help_text=_("Kommunadministratören i deltagarens kommun godkänner egna anmälningar."),
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("lägsta närvaro (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Andel av kursomgångens pass som deltagaren ska ha närvarat vid för att bli klar."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("kind"),
                FieldPanel("estimated_hours"),
                FieldPanel("certificate_validity_months"),
            ],
            heading=_("Om kursen"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sequential_modules"),
            ],
            heading=_("Ordning och förkunskaper"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("requires_approval"),
                FieldPanel("min_attendance_percent"),
                FieldPanel("credits"),
            ],
            heading=_("Kursomgångar"),
            help_text=_("Gäller kurser som ges i kursomgångar med grupp."),
        ),
        FieldPanel("learning_outcomes"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["content.CatalogPage"]
    subpage_types = ["content.ModulePage"]
    # The modules are taken in tree order: Wagtail's default (last edited first) moved a
    # module to the top of the explorer each time it was published.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("kurser")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_attendance_percent__lte=100),
                name="course_attendance_percent",
                violation_error_message=_("Närvarokravet anges i procent, från 0 till 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(credits__isnull=True) | models.Q(credits__gt=0),
                name="course_credits_positive",
                violation_error_message=_(
                    "Högskolepoängen måste vara fler än 0, eller lämnas tomma om kursen inte "
                    "ger poäng."
                ),
            ),
        ]

    @property
    def is_cohort(self) -> bool:
        return self.kind == CourseKind.COHORT

    @property
    def is_self_paced(self) -> bool:
        return self.kind == CourseKind.SELF_PACED

    def modules(self):
        return ModulePage.objects.live().child_of(self).order_by("path")

    def clean(self):
        super().clean()
        if self.pk and self.pk in {c.pk for c in self.prerequisites.all()}:
            raise ValidationError(
                {"prerequisites": _("En kurs kan inte vara förkunskapskrav för sig själv.")}
            )

    def route(self, request, path_components):
        return route_to_child(self, ModulePage, request, path_components)


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    text: str
    choices: tuple[Choice, ...]
    explanation: str

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.correct)


class ModulePage(ServedFresh, Page):
    """A module (modul) of a course: body, reflection prompts and an optional knowledge check."""

    # The course this module was routed through when it is the page being served
    # (route_to_child sets it); None when the module was fetched any other way. Learner data
    # reads it instead of fetching the course again.
    routed_parent: Page | None = None

    intro = models.TextField(_("ingress"), blank=True)
    body = StreamField(ModuleBodyBlock(), verbose_name=_("innehåll"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("beräknad tid (minuter)"), default=20, validators=[MinValueValidator(1)]
    )
    knowledge_check = StreamField(
        KnowledgeCheckBlock(), verbose_name=_("kunskapskontroll"), blank=True
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("gräns för godkänt (%)"),
        default=70,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Andel frågor som ska besvaras helt rätt."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("högsta antal försök"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Lämna tomt för obegränsat antal försök."),
    )
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("frågor per försök"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Skriv fler frågor än kontrollen ställer: varje försök drar sina frågor ur "
            "banken. Lämna tomt för att ställa alla frågor."
        ),
    )
    retry_pause_minutes = models.PositiveSmallIntegerField(
        _("paus efter underkänt försök (minuter)"),
        default=10,
        validators=[MaxValueValidator(10080)],
        help_text=_("Så länge dröjer nästa försök efter ett underkänt."),
    )
    failures_before_reread = models.PositiveSmallIntegerField(
        _("underkända försök innan omläsning"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Efter så många underkända försök ombeds deltagaren läsa modulen igen och prata "
            "med sin mentor, och nästa försök öppnar först efter ett dygn."
        ),
    )
    show_answers_when_out_of_attempts = models.BooleanField(
        _("visa rätt svar när försöken är slut"),
        default=False,
        help_text=_(
            "Rätt svar visas annars först när kontrollen är godkänd. Gäller bara med ett "
            "högsta antal försök."
        ),
    )
    min_minutes_on_module = models.PositiveSmallIntegerField(
        _("minsta tid i modulen (minuter)"),
        default=0,
        help_text=_(
            "En kontroll som lämnas in tidigare efter att modulen öppnades flaggas för "
            "mentorn. 0 = av."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("knowledge_check"),
                FieldPanel("questions_per_attempt"),
                FieldPanel("pass_mark"),
                FieldPanel("max_attempts"),
                FieldPanel("retry_pause_minutes"),
                FieldPanel("failures_before_reread"),
                FieldPanel("show_answers_when_out_of_attempts"),
                FieldPanel("min_minutes_on_module"),
            ],
            heading=_("Kunskapskontroll"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["content.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("moduler")

    def clean(self):
        super().clean()
        if self.questions_per_attempt and self.questions_per_attempt > len(self.questions()):
            raise ValidationError(
                {
                    "questions_per_attempt": _(
                        "Kontrollen kan inte ställa fler frågor än som finns i frågebanken."
                    )
                }
            )

    def questions(self) -> list[Question]:
        """The knowledge check's questions; choice ids are the list items' stable block ids."""
        result = []
        for block in self.knowledge_check:
            if block.block_type != "question":
                continue
            value = block.value
            choices = tuple(
                Choice(id=str(item.id), text=item.value["text"], correct=item.value["correct"])
                for item in value["choices"].bound_blocks
            )
            result.append(
                Question(
                    id=str(block.id),
                    kind=value["kind"],
                    text=value["text"],
                    choices=choices,
                    explanation=value["explanation"],
                )
            )
        return result

    @property
    def has_knowledge_check(self) -> bool:
        return len(self.knowledge_check) > 0

    def reflection_prompts(self) -> list[str]:
        return [block.value for block in self.body if block.block_type == "reflection"]

    def serve(self, request, *args, **kwargs):
        # Modules are for staff: anonymous visitors see the catalogue but log in to study.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class InfoPage(Page):
    """A plain information page (informationssida), e.g. about the service or a guide for new
    municipalities: the module body's blocks and nothing else. It is also the benchmark's
    baseline for a bare Wagtail page (benchmarks/README.md)."""

    body = StreamField(ModuleBodyBlock(), verbose_name=_("innehåll"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("informationssida")
        verbose_name_plural = _("informationssidor")
