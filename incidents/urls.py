from django.urls import path
from django.views.generic import RedirectView

from incidents.views import browse, detail, dossier, gazetteer, htmx, logging, maps, mine

app_name = "incidents"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="incidents:list"), name="home"),
    path("incidents/", browse.incident_list, name="list"),
    path("incidents/map/", maps.incident_map, name="map"),
    path("incidents/map.geojson", maps.incident_geojson, name="map-geojson"),
    path("incidents/timeline/", browse.incident_timeline, name="timeline"),
    path("incidents/new/", logging.incident_create, name="create"),
    path("incidents/duplicates/", htmx.duplicate_check, name="duplicates"),
    path("incidents/places/", htmx.place_options, name="place-options"),
    path("incidents/sources/", htmx.source_options, name="source-options"),
    path("incidents/places/lookup/", gazetteer.lookup, name="place-lookup"),
    path("incidents/places/nearest/", gazetteer.nearest, name="place-nearest"),
    path("incidents/places/photo-location/", gazetteer.photo_location, name="place-from-photo"),
    path("incidents/<uuid:public_id>/", detail.incident_detail, name="detail"),
    path("incidents/<uuid:public_id>/edit/", logging.incident_edit, name="edit"),
    path(
        "incidents/<uuid:public_id>/dossier.pdf",
        dossier.incident_dossier,
        {"package": "pdf"},
        name="dossier-pdf",
    ),
    path(
        "incidents/<uuid:public_id>/dossier.zip",
        dossier.incident_dossier,
        {"package": "zip"},
        name="dossier-zip",
    ),
    path("incidents/<uuid:public_id>/submit/", detail.incident_submit, name="submit"),
    path("incidents/<uuid:public_id>/claims/new/", logging.claim_create, name="claim-create"),
    path("me/", mine.my_incidents, name="mine"),
    path("me/emails/", mine.my_email_preference, name="mine-emails"),
]
