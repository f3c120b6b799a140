from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("incidents/", views.incident_list, name="list"),
    path("incidents/<uuid:public_id>/", views.incident_detail, name="detail"),
]
