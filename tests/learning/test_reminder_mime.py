"""The reminders' pre-built MIME (learning.reminders._Shape): each email's bytes are its own
header lines and the shared rendering's body with the name put in, and they must be exactly
the bytes Django's message().as_bytes() would have produced for the same email (but for the
Date header's second and the multipart boundary, which Django draws at random)."""

import datetime
import email
import re
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape

from core import outbox
from learning import reminders
from learning.models import OnboardingPlan, PlanCourse
from learning.reminders import _NAME, _Flattened, _PrebuiltEmail, _Shape
from tests.core.smtp import free_port
from tests.learning.test_reminders import START, _hire, _reminder_rows

SUBJECT = 'Påminnelse: "Modul 1" ska vara klar om tre dagar'
TEXT = f"Hej {_NAME}!\n\nModulen ”Modul 1” ska vara klar senast 4 december.\n\nHälsningar"
HTML = f'<p>Hej {_NAME}!</p>\n<p><a href="https://x.se/">Gå till modulen</a> – {_NAME}</p>'
DATE = re.compile(rb"^Date: [^\r\n]*\r\n", re.MULTILINE)


def _django_bytes(message: EmailMultiAlternatives, boundary: str | None) -> bytes:
    """What Django's own path sends for `message`, with the shape's boundary."""
    mime = EmailMultiAlternatives.message(message)
    if boundary is not None:
        mime.set_boundary(boundary)
    return DATE.sub(b"Date: -\r\n", mime.as_bytes(linesep="\r\n"))


def _email(shape, name, subject=SUBJECT, text=TEXT, html=HTML, to="asa@example.org"):
    message = _PrebuiltEmail(
        subject.replace(_NAME, name), text.replace(_NAME, name), to=[to], shape=shape, name=name
    )
    message.attach_alternative(html.replace(_NAME, escape(name)), "text/html")
    message.extra_headers["Message-ID"] = "<outbox-17@127.0.0.1>"
    return message


NAMES = [
    "Åsa",
    "Örjan Ängström",
    "Ada",
    "<b>Ada</b> & Co",
    "Zoë 李",
    "Å" * 500,  # a line the name makes longer than Django's limit: quoted-printable there
    "Åsa\u2028Öst",  # a line break to Python's splitlines, which Django counts lines with
    "===============1==",
    "",
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "text,html",
    [
        (TEXT, HTML),
        (f"Hi {_NAME}!\n\nYour module is due.", f"<p>Hi {_NAME}!</p>"),  # ASCII: 7bit
        (TEXT + "x" * 990, HTML),  # a line near the limit
        (f"Hej {_NAME}!" + "å" * 600, HTML),  # already too long: quoted-printable
    ],
    # Named, not shown: the texts hold the random stand-in, and xdist's workers must collect
    # the same ids.
    ids=["swedish", "ascii", "near-limit", "quoted-printable"],
)
def test_prebuilt_bytes_are_what_django_would_send(name, text, html):
    shape = _Shape.build(SUBJECT, text, html)
    message = _email(shape, name, text=text, html=html)
    boundary = shape.boundary if shape is not None else None
    flattened = message.message()
    ours = DATE.sub(b"Date: -\r\n", flattened.as_bytes(linesep="\r\n"))
    if isinstance(flattened, _Flattened):
        assert ours == _django_bytes(message, boundary)
        # The file and console backends ask for plain newlines.
        plain = re.sub(rb"(?m)^Date: [^\n]*\n", b"Date: -\n", flattened.as_bytes())
        assert ours.replace(b"\r\n", b"\n") == plain
    else:  # Django's own path: the same email, only its boundary is drawn at random
        assert _same_boundary(ours) == _same_boundary(_django_bytes(message, None))


def _same_boundary(data: bytes) -> bytes:
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    return data.replace(boundary, b"BOUNDARY")


def test_the_swedish_reminder_takes_the_prebuilt_path_and_the_odd_ones_do_not():
    shape = _Shape.build(SUBJECT, TEXT, HTML)
    assert shape is not None
    for name in ["Åsa", "Ada", "<b>Ada</b> & Co", "Zoë 李", ""]:
        assert isinstance(_email(shape, name).message(), _Flattened), name
    for name in ["A" * 200 + "Å" * 450, "Åsa\u2028Öst", "===============1=="]:
        assert not isinstance(_email(shape, name).message(), _Flattened), name
    ascii_shape = _Shape.build("Reminder", f"Hi {_NAME}!", f"<p>Hi {_NAME}</p>")
    assert not isinstance(_email(ascii_shape, "Ada").message(), _Flattened)  # 7bit for Django
    assert isinstance(_email(ascii_shape, "Åsa").message(), _Flattened)
    assert _Shape.build(SUBJECT, f"Hej {_NAME}!" + "å" * 600, HTML) is None
    odd = _email(shape, "Åsa")
    odd.cc = ["chef@example.org"]
    assert not isinstance(odd.message(), _Flattened)  # a header the shape does not fill in


@pytest.fixture
def plan(course):
    plan = OnboardingPlan.objects.create(name="Nationell plan")
    PlanCourse.objects.create(plan=plan, course=course, due_days=10)
    return plan


class _Keep:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((envelope.rcpt_tos, envelope.original_content))
        return "250 OK"


@pytest.fixture
def aiosmtpd_server(settings):
    handler = _Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield handler
    controller.stop()


@pytest.mark.django_db
def test_reminders_reach_a_real_aiosmtpd_server_with_swedish_name_and_subject(
    enhet_a, plan, course, aiosmtpd_server
):
    user = _hire(enhet_a, full_name="Åsa <Öberg> & Ärlig")
    today = START + datetime.timedelta(days=7)
    assert reminders.queue_daily_reminders(today) == 3
    rows = list(_reminder_rows().order_by("pk"))
    built = reminders.reminder_emails([row.args for row in rows])
    assert all(isinstance(m.message(), _Flattened) for m in built)
    assert outbox.deliver_batch() == 3
    assert len(aiosmtpd_server.messages) == 3
    for row, (recipients, data) in zip(rows, aiosmtpd_server.messages, strict=True):
        assert recipients == [user.email]
        received = email.message_from_bytes(data, policy=policy.default)
        assert received["Message-ID"] == outbox.message_id(row)
        assert received["To"] == user.email
        # Django folds the encoded subject onto a line of its own (the same bytes, below).
        assert str(received["Subject"]).strip().startswith("Påminnelse: ")
        assert "ska vara klar om tre dagar" in received["Subject"]
        text = received.get_body(("plain",)).get_content()
        assert text.startswith("Hej Åsa!")
        html = received.get_body(("html",)).get_content()
        assert "Hej Åsa!" in html
    # The same bytes Django's own path would have sent for that email.
    message = built[0]
    message.extra_headers["Message-ID"] = outbox.message_id(rows[0])
    boundary = message.shape.boundary
    received = DATE.sub(b"Date: -\r\n", aiosmtpd_server.messages[0][1])
    assert received == _django_bytes(message, boundary)
    assert mail.outbox == []  # really over SMTP


@pytest.mark.parametrize(
    "name,value",
    [
        ("To", "asa@example.org"),
        ("To", "larande49999@bench.introsteg.invalid"),
        ("To", "Åsa Öst <asa@example.org>"),  # not ASCII: Django's sanitising path
        ("To", "Ada <ada@example.org>, bo@example.org"),
        ("Message-ID", "<outbox-123456789@introsteg.example.se>"),
        ("Date", "Mon, 30 Nov 2026 05:12:07 +0100"),
        ("Date", " leading space"),
        ("Date", "two  spaces"),
        ("Date", "trailing space "),
        ("Date", "tab\there"),
        ("Date", "=?utf-8?q?looks_encoded?="),
        ("Subject", "Plain ASCII subject"),
        ("X-Long", "a" * 72),  # 8 + 72 = 80: too long for one line
        *[("To", "x" * n + "@e.se") for n in range(60, 75)],  # across the 78 fold width
        *[("To", "a " * (n // 2) + "@e.se") for n in range(60, 75)],
    ],
)
def test_one_line_header_shortcut_is_what_the_email_package_folds(name, value):
    assert reminders._header(name, value) == reminders._folded_header(name, value)


def test_date_is_djangos_date_of_the_same_second(settings):
    for localtime in (False, True):
        settings.EMAIL_USE_LOCALTIME = localtime
        before = mail.message.formatdate(localtime=localtime)
        ours = reminders._date()
        after = mail.message.formatdate(localtime=localtime)
        assert ours in (before, after)
