"""Mitt team's table rows and case alerts, built in Python (issue 23).

A 500-person unit is 500 rows of eight cells. Through the template engine that was ~7,000
variable nodes a request (look-up, localisation, escaping each), most of the page's CPU time;
here it is one string format a row, every value escaped with the same rule as Django's
autoescape (html.escape, quotes included), the labels translated once and the dates through
core.dates' one format. The markup is the template's former row, cell for cell: the table's
head, caption and everything around it stay in team/overview.html.

The case alerts (a few hundred <li> at a 500-person unit, each with a translated "sedan …" and a
date) are built the same way, after the template's former item."""

from html import escape

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from core.dates import date_formatter
from mentoring.selectors import CaseAlertRow
from team.selectors import PROGRESS_LABEL, TeamMember

register = template.Library()

ROW = (
    '<tr><th scope="row">{name}</th><td>{unit}</td><td>{roles}</td><td>{start}</td>'
    '<td class="progress-cell">{progress}</td><td>{overdue}</td><td>{mentor}</td>'
    "<td>{certificate}</td></tr>"
)
PROGRESS = (
    '<progress max="{total}" value="{completed}" aria-label="{label}">{percent} %</progress>'
    " <span>{completed}/{total}</span>"
)
MUTED = '<span class="muted">{}</span>'
BADGE = '<span class="badge badge--overdue">{}</span>'
CERTIFICATE = '{title} <span class="muted">({issued})</span>'
NONE = "–"


@register.simple_tag
def member_rows(members: list[TeamMember]) -> SafeString:
    """The <tr> of each member, in the order given."""
    format_day = date_formatter()
    progress_label = str(PROGRESS_LABEL)
    no_modules = MUTED.format(escape(gettext("Inga moduler")))
    no_mentor = BADGE.format(escape(gettext("Saknar mentor")))
    rows = []
    for member in members:
        name = escape(member.name)
        if member.total:
            progress = PROGRESS.format(
                total=member.total,
                completed=member.completed,
                percent=member.percent,
                label=escape(progress_label % {"name": member.name}),
            )
        else:
            progress = no_modules
        if member.mentor_name:
            mentor = escape(member.mentor_name)
        elif member.is_new_hire:
            mentor = no_mentor
        else:
            mentor = NONE
        if member.certificate_title:
            certificate = CERTIFICATE.format(
                title=escape(member.certificate_title),
                issued=escape(format_day(member.certificate_issued)),
            )
        else:
            certificate = NONE
        rows.append(
            ROW.format(
                name=name,
                unit=escape(member.unit_name),
                roles=escape(member.role_label),
                start=escape(format_day(member.start_date)),
                progress=progress,
                overdue=BADGE.format(member.overdue) if member.overdue else "0",
                mentor=mentor,
                certificate=certificate,
            )
        )
    # Safe: every value above went through escape(); the rest is this module's markup.
    return SafeString("\n".join(rows))  # nosec B703


ALERT = (
    '<li><span class="badge badge--risk-{risk_level}">{risk_label}</span>'
    ' <a href="{url}">{reference}</a> ({case_type}, {holder}):'
    ' {message} <span class="muted">{since}</span></li>'
)


@register.simple_tag
def case_alert_items(alerts: list[CaseAlertRow]) -> SafeString:
    """The <li> of each case alert, in the order given."""
    format_day = date_formatter()
    since = gettext("sedan %(since)s")
    items = [
        ALERT.format(
            risk_level=escape(alert.risk_level),
            risk_label=escape(alert.risk_label),
            url=escape(alert.url),
            reference=escape(alert.reference),
            case_type=escape(alert.case_type),
            holder=escape(alert.holder_name),
            message=escape(alert.message),
            # As {% blocktranslate with since=… %}: the value escaped, the translation not.
            since=since % {"since": escape(format_day(alert.since))},
        )
        for alert in alerts
    ]
    # Safe: every value above went through escape(); the rest is this module's markup and
    # the translation of one msgid, trusted as the template's blocktranslate trusts it.
    return SafeString("\n".join(items))  # nosec B703
