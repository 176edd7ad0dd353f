from django.urls import path

from breaking import views

app_name = "breaking"

urlpatterns = [
    path("breaking.json", views.current, name="current"),
]
