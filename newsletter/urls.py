from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.subscription, name="subscription"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
