"""Emails to people: subject, plain text and HTML from one template name, in their language."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from people.models import User


def build_email(template: str, *, to: User, context: dict) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` for one person."""
    with translation.override(to.preferred_language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to.email])
    message.attach_alternative(html, "text/html")
    return message
