from django.urls import path

from readership import views

app_name = "readership"

urlpatterns = [
    path("views/<int:article_id>/", views.beacon, name="beacon"),
]
