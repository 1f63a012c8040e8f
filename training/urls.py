from django.urls import path

from shared import parsing  # noqa: F401 - registers the <id:...> path converter

from . import views

app_name = "training"

urlpatterns = [
    path("", views.my_onboarding, name="my_onboarding"),
    path("modules/<id:pk>/quiz/", views.quiz, name="quiz"),
    path("paths/<id:pk>/certificate/", views.certificate, name="certificate"),
    path("enrol/", views.enrol, name="enrol"),
    path("team/", views.team, name="team"),
    path("report/", views.report, name="report"),
]
