from django.urls import path

from shared import parsing  # noqa: F401 - registers the <id:...> path converter

from . import views

app_name = "champions"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("coverage/", views.coverage, name="coverage"),
    path("people/<id:pk>/", views.profile, name="profile"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<id:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("terms/<id:pk>/", views.term_action, name="term_action"),
    path("terms/<id:pk>/handover/", views.handover, name="handover"),
    path("insights/", views.insights, name="insights"),
    path("insights/queue/", views.insight_queue, name="insight_queue"),
    path("insights/<id:pk>/", views.insight, name="insight"),
    path("insights/<id:pk>/reassign/", views.insight_reassign, name="insight_reassign"),
    path("insights/<id:pk>/idea/", views.insight_to_idea, name="insight_to_idea"),
    path("meeting/<id:pk>/", views.meeting_opener, name="meeting"),
    path("customers/", views.customers, name="customers"),
    path("customers/<id:pk>/", views.customer, name="customer"),
    path("pulse/", views.pulse_list, name="pulse_list"),
    path("pulse/<id:pk>/", views.pulse_answer, name="pulse_answer"),
    path("pulse/<id:pk>/results/", views.pulse_results, name="pulse_results"),
    path("pulse/<id:pk>/links/", views.pulse_links, name="pulse_links"),
    path("pulse/answers/<id:pk>/insight/", views.pulse_to_insight, name="pulse_to_insight"),
    path("ideas/<id:pk>/sponsor/", views.sponsor_idea, name="sponsor_idea"),
]
