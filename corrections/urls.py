from django.urls import path

from corrections import views

app_name = "corrections"

urlpatterns = [
    path("corrections/", views.corrections_log, name="log"),
    path("corrections/feed/", views.CorrectionsFeed(), name="feed"),
    path("corrections/atom/", views.CorrectionsAtomFeed(), name="atom"),
    path("corrections/new/<id:article_id>/", views.correction_new, name="new"),
    path("replies/new/<id:article_id>/", views.reply_new, name="reply"),
]
