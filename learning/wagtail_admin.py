"""Learning in the Wagtail admin. Onboarding plans: a municipal admin sees and edits only
their own municipality's plan; curriculum editors and superusers also keep the national
default. Course runs (kursomgångar): editors manage them with their sessions inline."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from learning import permissions
from learning.models import CourseRun, OnboardingPlan
from people.wagtail_scoping import OrganisationScopedPolicy, OrganisationScopedViewSet

plan_permission_policy = OrganisationScopedPolicy(
    OnboardingPlan, sees_all=permissions.sees_all_onboarding_plans
)


class OnboardingPlanViewSet(OrganisationScopedViewSet):
    model = OnboardingPlan
    policy = plan_permission_policy
    icon = "list-ol"
    menu_label = _("Introduktionsplaner")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "organisation"]
    panels = [
        FieldPanel("name"),
        FieldPanel("organisation"),
        InlinePanel("courses", heading=_("Kurser"), label=_("Kurs"), min_num=1),
        InlinePanel(
            "modules",
            heading=_("Egna tidsgränser för moduler"),
            label=_("Modul"),
            panels=[
                PageChooserPanel("module", page_type="content.ModulePage"),
                FieldPanel("due_days"),
            ],
        ),
    ]


class CourseRunForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The inline sessions see the run being edited, so RunSession.clean can check each
        # date against the run's dates as they stand in this very form, before anything saves.
        for form in self.formsets["sessions"].forms:
            form.instance.run = self.instance


class CourseRunViewSet(SnippetViewSet):
    """Runs are data with enrolments, not page content: a snippet with its sessions inline."""

    model = CourseRun
    icon = "date"
    menu_label = _("Kursomgångar")
    menu_order = 240
    add_to_admin_menu = True
    list_display = ["name", "course", "start_date", "seats", "status"]
    list_filter = ["status"]
    ordering = ["-start_date"]

    def get_queryset(self, request):
        return CourseRun.objects.select_related("course")

    edit_handler = ObjectList(
        base_form_class=CourseRunForm,
        children=[
            PageChooserPanel("course", page_type="content.CoursePage"),
            FieldPanel("name"),
            FieldRowPanel(
                [
                    FieldPanel("start_date"),
                    FieldPanel("end_date"),
                    FieldPanel("enrolment_deadline"),
                ],
                heading=_("Datum"),
            ),
            FieldRowPanel([FieldPanel("place"), FieldPanel("online_url")], heading=_("Plats")),
            FieldRowPanel([FieldPanel("seats"), FieldPanel("status")]),
            FieldPanel("leaders", widget=forms.CheckboxSelectMultiple),
            InlinePanel(
                "sessions",
                heading=_("Pass"),
                label=_("Pass"),
                panels=[
                    FieldRowPanel(
                        [
                            FieldPanel("date"),
                            FieldPanel("start_time"),
                            FieldPanel("end_time"),
                            FieldPanel("place"),
                        ]
                    )
                ],
            ),
        ],
    )
