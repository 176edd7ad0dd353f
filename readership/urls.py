from django.urls import path

from readership import views

app_name = "readership"

urlpatterns = [
    path("views/<id:article_id>/", views.beacon, name="beacon"),
]
