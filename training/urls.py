from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.my_onboarding, name="my_onboarding"),
    path("modules/<int:pk>/quiz/", views.quiz, name="quiz"),
    path("paths/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("enrol/", views.enrol, name="enrol"),
    path("team/", views.team, name="team"),
    path("report/", views.report, name="report"),
]
