from django.urls import path

from exchange import views

app_name = "exchange"
urlpatterns = [
    path("releases/", views.release_list, name="releases"),
    path("releases/<str:version>/<str:name>", views.release_file, name="release-file"),
]
