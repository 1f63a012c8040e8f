from django.urls import path

from shared import parsing  # noqa: F401 - registers the <id:...> path converter

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list, name="list"),
    path("export.csv", views.idea_export, name="export"),
    path("new/", views.idea_create, name="create"),
    path("similar/", views.idea_similar, name="similar"),
    path("mine/", views.my_ideas, name="mine"),
    path("queue/", views.review_queue, name="queue"),
    path("recognition/", views.recognition, name="recognition"),
    path("<id:pk>/", views.idea_detail, name="detail"),
    path("<id:pk>/edit/", views.idea_edit, name="edit"),
    path("<id:pk>/submit/", views.idea_submit, name="submit"),
    path("<id:pk>/withdraw/", views.idea_withdraw, name="withdraw"),
    path("<id:pk>/support/", views.idea_support, name="support"),
    path("<id:pk>/follow/", views.idea_follow, name="follow"),
    path("<id:pk>/comments/", views.comment_add, name="comment_add"),
    path("<id:pk>/notes/", views.note_add, name="note_add"),
    path("<id:pk>/decide/", views.idea_decide, name="decide"),
    path("<id:pk>/review/", views.idea_review, name="review"),
    path("<id:pk>/score/", views.idea_score, name="score"),
    path("<id:pk>/assign/", views.idea_assign, name="assign"),
    path("<id:pk>/sponsor/", views.idea_sponsor, name="sponsor"),
    path("<id:pk>/impact/", views.idea_impact, name="impact"),
    path("<id:pk>/coauthors/", views.coauthor_invite, name="coauthor_invite"),
    path("<id:pk>/thanks/", views.idea_thank, name="thank"),
    path("coauthors/<id:pk>/answer/", views.coauthor_answer, name="coauthor_answer"),
    path("coauthors/<id:pk>/remove/", views.coauthor_remove, name="coauthor_remove"),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<id:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("attachments/<id:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<id:pk>/thumbnail/", views.attachment_thumbnail,
         name="attachment_thumbnail"),
]
