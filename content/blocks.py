"""StreamField blocks for course modules and knowledge checks (kunskapskontroller)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Rubrik")
        template = "content/blocks/heading.html"


class VideoBlock(blocks.StructBlock):
    """A self-hosted video with a captions track; an external embed only as an extra."""

    title = blocks.CharBlock(label=_("Titel"))
    file = DocumentChooserBlock(label=_("Videofil (mp4/webm)"))
    captions = DocumentChooserBlock(label=_("Undertexter (WebVTT)"))
    transcript = blocks.TextBlock(label=_("Textversion"), required=False)
    # Shown as a plain link, never embedded: the page must work with the network closed.
    external = blocks.URLBlock(label=_("Extern video (valfri länk)"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "content/blocks/video.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokument"))
    title = blocks.CharBlock(label=_("Länktext"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokumentlänk")
        template = "content/blocks/document.html"


CALLOUT_KINDS = [
    ("vignette", _("Fallbeskrivning")),
    ("info", _("Bra att veta")),
    ("warning", _("Observera")),
]


class CalloutValue(blocks.StructValue):
    @property
    def kind_label(self) -> str:
        """The kind's name, read aloud as the box's label (an unknown kind reads as a note)."""
        return str(dict(CALLOUT_KINDS).get(self.get("kind"), CALLOUT_KINDS[1][1]))


class CalloutBlock(blocks.StructBlock):
    """A case vignette (fallbeskrivning) or a highlighted note."""

    kind = blocks.ChoiceBlock(label=_("Typ"), choices=CALLOUT_KINDS, default="vignette")
    title = blocks.CharBlock(label=_("Rubrik"))
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Fallbeskrivning / faktaruta")
        template = "content/blocks/callout.html"
        value_class = CalloutValue


class ReflectionBlock(blocks.TextBlock):
    """A question to think about and bring to the next mentor session."""

    class Meta:
        icon = "openquote"
        label = _("Reflektionsfråga")
        template = "content/blocks/reflection.html"


class ModuleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)
    video = VideoBlock()
    document = DocumentLinkBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Svarsalternativ"))
    correct = blocks.BooleanBlock(label=_("Rätt svar"), required=False)


class QuestionBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Frågetyp"),
        choices=[("single", _("Ett rätt svar")), ("multiple", _("Flera rätta svar"))],
        default="single",
    )
    text = blocks.TextBlock(label=_("Fråga"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Svarsalternativ"), min_num=2)
    explanation = blocks.TextBlock(
        label=_("Förklaring"),
        help_text=_(
            "Visas efter varje försök, även när svaret var fel: förklara ämnet utan att avslöja "
            "rätt alternativ."
        ),
    )

    class Meta:
        icon = "help"
        label = _("Fråga")

    def clean(self, value):
        value = super().clean(value)
        right = sum(1 for choice in value["choices"] if choice["correct"])
        if right == 0:
            raise StructBlockValidationError(
                {"choices": ValidationError(_("Markera minst ett rätt svar."))}
            )
        if value["kind"] == "single" and right != 1:
            raise StructBlockValidationError(
                {"choices": ValidationError(_("En fråga med ett rätt svar ska ha exakt ett."))}
            )
        return value


class KnowledgeCheckBlock(blocks.StreamBlock):
    question = QuestionBlock()
