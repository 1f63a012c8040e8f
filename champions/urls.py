from django.urls import path

from . import views

app_name = "champions"

urlpatterns = [
    path("", views.roster, name="roster"),
    path("coverage/", views.coverage, name="coverage"),
    path("people/<int:pk>/", views.profile, name="profile"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominations/", views.nominations, name="nominations"),
    path("nominations/<int:pk>/decide/", views.nomination_decide, name="nomination_decide"),
    path("terms/<int:pk>/", views.term_action, name="term_action"),
    path("terms/<int:pk>/handover/", views.handover, name="handover"),
    path("insights/", views.insights, name="insights"),
    path("meeting/<int:pk>/", views.meeting_opener, name="meeting"),
    path("ideas/<int:pk>/sponsor/", views.sponsor_idea, name="sponsor_idea"),
]
