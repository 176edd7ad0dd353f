from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("comments/<id:article_id>/", views.comment_post, name="post"),
]
