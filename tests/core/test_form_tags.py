"""The shared form rendering (templates/includes/form_fields.html with core/templatetags/
form_tags.py): an error summary first that links to each field, the field's own error beside
it, one "(valfritt)" marker, no "---------" in a select, required-field messages that name
the field in a full sentence."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from people.models import Organisation


class _Form(forms.Form):
    name = forms.CharField(label="Namn")
    note = forms.CharField(label="Din reflektion (valfri)", required=False)
    kind = forms.ChoiceField(label="Typ", choices=[("", "---------"), ("a", "A"), ("b", "B")])
    agree = forms.BooleanField(label="Jag har läst villkoren")
    days = forms.MultipleChoiceField(
        label="Dagar", choices=[("mon", "Måndag")], widget=forms.CheckboxSelectMultiple
    )


def _render(form) -> str:
    return render_to_string("includes/form_fields.html", {"form": form})


def test_an_unbound_form_has_no_summary_and_one_optional_marker():
    html = _render(_Form())
    assert "error-summary" not in html
    assert html.count("(valfritt)") == 1
    assert "(valfri)" not in html
    assert "---------" not in html
    assert "Välj …" in html


def test_errors_are_summed_up_first_with_links_and_repeated_beside_each_field():
    form = _Form(data={"name": "", "kind": "", "days": []})
    assert not form.is_valid()
    html = _render(form)
    summary = html[html.index("error-summary") : html.index("</div>")]
    assert html.index("error-summary") < html.index('<label for="id_name"')
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_name", "Namn: Fältet ”Namn” måste fyllas i."),
        ("id_kind", "Typ: Välj ett alternativ under ”Typ”."),
        (
            "id_agree",
            "Jag har läst villkoren: Kryssa i rutan ”Jag har läst villkoren” för att gå vidare.",
        ),
        ("id_days_0", "Dagar: Välj ett alternativ under ”Dagar”."),
    ]
    # Beside the field, with the id the input points at (aria-describedby).
    assert '<p class="field-error" id="id_name_error">Fältet ”Namn” måste fyllas i.</p>' in html
    assert "Detta fält måste fyllas i" not in html
    assert "autofocus" in summary


def test_a_non_field_error_heads_the_summary_without_a_link():
    form = _Form(data={"name": "x", "kind": "a", "agree": "on", "days": ["mon"]})
    assert form.is_valid()
    form.add_error(None, "E-postadressen eller lösenordet stämmer inte.")
    html = _render(form)
    assert "<li>E-postadressen eller lösenordet stämmer inte.</li>" in html


@pytest.mark.django_db
def test_a_model_choice_starts_with_valj_not_dashes():
    Organisation.objects.create(name="Lunds kommun")

    class _ModelForm(forms.Form):
        organisation = forms.ModelChoiceField(Organisation.objects.all(), required=False)

    html = _render(_ModelForm())
    assert "---------" not in html
    assert '<option value="" selected>Välj …</option>' in html
    assert "Lunds kommun" in html


@pytest.mark.django_db
def test_no_dashes_in_a_model_forms_choices_or_in_choices_fixed_for_many_forms(kommun_a):
    """Seen in the screenshots of every page type: the sign-on settings' "Protokoll" (a model
    field's choices, which Django hands over lazily) and the matching run's "Byt mentor" (a
    queryset's choices read once and fixed as a list for every proposal) still said
    "---------"."""
    from sso.forms import IdentityProviderForm

    settings_form = IdentityProviderForm(organisation=kommun_a)
    html = render_to_string("includes/form_fields.html", {"form": settings_form})
    protocol = re.search(r'<select name="protocol".*?</select>', html, re.S).group(0)
    assert "---------" not in protocol and "Välj …" in protocol

    class _Pick(forms.Form):
        org = forms.ModelChoiceField(label="Kommun", queryset=Organisation.objects.all())

    first = _Pick()
    fixed = list(first.fields["org"].choices)
    second = _Pick()
    second.fields["org"].choices = fixed
    html = _render(second)
    assert "---------" not in html and "Välj …" in html
    assert kommun_a.name in html
