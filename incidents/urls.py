from django.urls import path
from django.views.generic import RedirectView

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="incidents:list"), name="home"),
    path("incidents/", views.incident_list, name="list"),
    path("incidents/map/", views.incident_map, name="map"),
    path("incidents/map.geojson", views.incident_geojson, name="map-geojson"),
    path("incidents/timeline/", views.incident_timeline, name="timeline"),
    path("incidents/new/", views.incident_create, name="create"),
    path("incidents/duplicates/", views.duplicate_check, name="duplicates"),
    path("incidents/places/", views.place_options, name="place-options"),
    path("incidents/<uuid:public_id>/", views.incident_detail, name="detail"),
    path("incidents/<uuid:public_id>/edit/", views.incident_edit, name="edit"),
    path("incidents/<uuid:public_id>/submit/", views.incident_submit, name="submit"),
    path("incidents/<uuid:public_id>/claims/new/", views.claim_create, name="claim-create"),
    path("me/", views.my_incidents, name="mine"),
]
