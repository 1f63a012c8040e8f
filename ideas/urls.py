from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("export.csv", views.idea_export, name="export"),
    path("new/", views.idea_create, name="create"),
    path("similar/", views.idea_similar, name="similar"),
    path("mine/", views.my_ideas, name="mine"),
    path("queue/", views.review_queue, name="queue"),
    path("<int:pk>/", views.idea_detail, name="detail"),
    path("<int:pk>/edit/", views.idea_edit, name="edit"),
    path("<int:pk>/submit/", views.idea_submit, name="submit"),
    path("<int:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<int:pk>/support/", views.idea_support, name="support"),
    path("<int:pk>/follow/", views.idea_follow, name="follow"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/decide/", views.idea_decide, name="decide"),
    path("<int:pk>/score/", views.idea_score, name="score"),
    path("<int:pk>/assign/", views.idea_assign, name="assign"),
    path("<int:pk>/sponsor/", views.idea_sponsor, name="sponsor"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
