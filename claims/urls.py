from django.urls import path

from claims import views

app_name = "claims"

urlpatterns = [
    path(
        "evidence/<uuid:public_id>/display/",
        views.evidence_derivative,
        {"variant": "display"},
        name="evidence-display",
    ),
    path(
        "evidence/<uuid:public_id>/thumbnail/",
        views.evidence_derivative,
        {"variant": "thumbnail"},
        name="evidence-thumbnail",
    ),
    path("evidence/<uuid:public_id>/original/", views.evidence_original, name="evidence-original"),
]
