from django.urls import path

from mentoring.views import cases
from mentoring.views import mentorship as views

app_name = "mentoring"
urlpatterns = [
    path("", views.home, name="home"),
    path("mina-adepter/", views.my_mentees, name="my_mentees"),
    path("min-mentor/", views.my_mentor, name="my_mentor"),
    path("mina-enheter/", views.units, name="units"),
    path("mentorsprofil/", views.profile, name="profile"),
    path("onskemal/", views.needs, name="needs"),
    path("matchning/", views.matching, name="matching"),
    path("matchning/<int:run_id>/", views.run_detail, name="run"),
    path("matchning/<int:run_id>/bekrafta/", views.confirm_run, name="confirm_run"),
    path("matchning/forslag/<int:proposal_id>/justera/", views.adjust, name="adjust"),
    path("<int:mentorship_id>/", views.mentorship_detail, name="mentorship"),
    path("<int:mentorship_id>/svara/", views.respond, name="respond"),
    path("<int:mentorship_id>/samtal/nytt/", views.log_session, name="log_session"),
    path("samtal/<int:session_id>/", views.session_detail, name="session"),
    path("samtal/<int:session_id>/bekrafta/", views.confirm_session, name="confirm_session"),
    # A mentorship's life after the match (issue 18)
    path("att-folja/", views.stewardship, name="stewardship"),
    path("byte/<int:request_id>/stang/", views.close_request, name="close_request"),
    path("<int:mentorship_id>/avsluta/", views.end_mentorship, name="end"),
    path("<int:mentorship_id>/byt-mentor/", views.change_mentor, name="change_mentor"),
    path("<int:mentorship_id>/onska-byte/", views.request_change, name="request_change"),
    path("<int:mentorship_id>/nasta-traff/", views.book_meeting, name="book_meeting"),
    path("<int:mentorship_id>/nasta-traff/avboka/", views.cancel_meeting, name="cancel_meeting"),
    path("samtal/<int:session_id>/andra/", views.edit_session, name="edit_session"),
    path("samtal/<int:session_id>/radera/", views.delete_session, name="delete_session"),
    # Supervised cases (ärenden)
    path("arenden/", cases.case_list, name="cases"),
    path("arenden/nytt/", cases.case_new, name="case_new"),
    path("arenden/belastning/", cases.caseload, name="caseload"),
    path("arenden/belastning/<int:unit_id>/", cases.caseload, name="caseload_unit"),
    path("arenden/<int:case_id>/", cases.case_detail, name="case"),
    path("arenden/<int:case_id>/skede/", cases.case_stage, name="case_stage"),
    path("arenden/<int:case_id>/avsluta/", cases.case_close, name="case_close"),
    path("arenden/<int:case_id>/genomgang/ny/", cases.review_new, name="review_new"),
    path("arenden/genomgang/<int:review_id>/andra/", cases.review_edit, name="review_edit"),
    path("arenden/genomgang/<int:review_id>/anfortroende/", cases.decide, name="decide"),
]
