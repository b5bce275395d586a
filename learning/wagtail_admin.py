"""Learning in the Wagtail admin. Item analysis (uppgiftsanalys) of the knowledge checks for
curriculum editors. Onboarding plans: a municipal admin sees and edits only
their own municipality's plan; curriculum editors and superusers also keep the national
default. Course runs (kursomgångar): editors manage them with their sessions inline."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import SnippetViewSet

from learning import permissions, selectors, services
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

    def save(self, commit=True):
        """Saving is also telling people: a run the editor cancels, or whose seats change,
        goes through the run services, which email everyone it concerns (through the outbox,
        in the transaction of this save)."""
        was_cancelled = self.initial.get("status") == CourseRun.Status.CANCELLED
        run = super().save(commit=commit)
        if commit:
            if run.status == CourseRun.Status.CANCELLED and not was_cancelled:
                services.cancel_course_run(run)
            else:
                services.settle_seats(run)
        return run


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
            FieldPanel("organiser"),
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


class ItemAnalysisMixin(WagtailAdminTemplateMixin):
    """For curriculum editors and superusers only (learning.permissions)."""

    header_icon = "help"

    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_item_analysis(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learning_item_analysis"), "label": _("Kunskapskontroller")},
        ]


class ItemAnalysisIndexView(ItemAnalysisMixin, TemplateView):
    """Every module with a knowledge check and its number of submitted attempts."""

    template_name = "learning/admin/item_analysis_index.html"
    page_title = _("Kunskapskontroller")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"modules": selectors.modules_with_checks()}


class ItemAnalysisView(ItemAnalysisMixin, TemplateView):
    """Per question of one module: how often it was drawn and answered wrong."""

    template_name = "learning/admin/item_analysis.html"
    page_title = _("Uppgiftsanalys")

    def get(self, request, *args, **kwargs):
        self.module = selectors.original_module(kwargs["module_id"])
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.module.title

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.module.title}]

    def get_context_data(self, **kwargs):
        rows = selectors.item_analysis_for(self.module)
        return super().get_context_data(**kwargs) | {"module": self.module, "rows": rows}
