"""Factories for tests. Every record a factory creates is written by the service that writes
it in production (log_incident, create_claim, create_place, …), so history, versions and
the rules hold for test data too; editorial state (submitted, reviewed, published) is
reached through the services as well, never by writing a status field.

``IncidentFactory.build()`` and ``ClaimFactory.build()`` give unsaved objects to pass to a
service under test.
"""

import datetime
import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import services as claim_services
from claims.models import Claim, Medium, Source, SourceKind
from incidents import services as incident_services
from incidents.models import (
    Actor,
    ActorKind,
    Incident,
    IncidentItem,
    IncidentStatus,
    ItemCategory,
    LinkRole,
    Place,
    PlacePrecision,
    RoutePoint,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        """UserFactory(role="editor") puts the user in that group (editors are staff)."""
        if not extracted or not create:
            return
        user.groups.add(Group.objects.get(name=extracted))
        if extracted == "editor":
            user.is_staff = True
            user.save(update_fields=["is_staff"])


def reference_editor():
    """The editor who keeps the reference data factories create (places, actors, …)."""
    return UserFactory(username="reference-editor", role="editor")


def fresh(user):
    """``user`` reloaded: permissions are cached per instance, and groups may have changed."""
    return get_user_model().objects.get(pk=user.pk)


class ServiceFactory(factory.django.DjangoModelFactory):
    """A factory whose records are saved by a service: ``save(instance, **extra)``."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return cls.save(model_class(*args, **kwargs))


class PlaceFactory(ServiceFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Village {n}")
    country = "UA"
    admin1 = "Kyiv Oblast"
    latitude = "50.450000"
    longitude = "30.520000"
    precision = PlacePrecision.SETTLEMENT

    @staticmethod
    def save(place):
        return incident_services.create_place(place=place, created_by=fresh(reference_editor()))


class ActorFactory(ServiceFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = ActorKind.UNIT
    country = "RU"

    @staticmethod
    def save(actor):
        return incident_services.create_actor(actor=actor, created_by=fresh(reference_editor()))


class SourceFactory(ServiceFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.MEDIA
    country = "UA"

    @staticmethod
    def save(source):
        return claim_services.create_source(source=source, created_by=fresh(reference_editor()))


def claim_fields(n):
    return {
        "medium": Medium.TWEET,
        "url": f"https://twitter.com/example/status/{1000 + n}",
        "published_at": datetime.datetime(2022, 4, 2, 12, 0, tzinfo=datetime.UTC),
        "language": "en",
        "original_text": "Hundreds of cars with loot were grabbed by retreating troops.",
    }


class IncidentFactory(factory.django.DjangoModelFactory):
    """An incident logged by ``created_by`` (a journalist unless given).

    ``status`` is reached through the services: "draft" (the default) is logged as a draft;
    "submitted" is logged with one claim and submitted; "published" also has that claim
    verified and the incident published by an editor; "withdrawn" is then withdrawn.
    """

    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Looting incident {n}")
    summary = "Homes were looted."
    place = factory.SubFactory(PlaceFactory)
    occurred_from = datetime.date(2022, 3, 28)
    occurred_to = datetime.date(2022, 4, 2)
    created_by = factory.SubFactory(UserFactory, role="journalist")

    @classmethod
    def _create(cls, model_class, *args, status=IncidentStatus.DRAFT, actors=(), **kwargs):
        created_by = fresh(kwargs.pop("created_by"))
        place = kwargs.pop("place")
        claims = []
        if status != IncidentStatus.DRAFT:
            claim = Claim(
                source=SourceFactory(),
                **{**claim_fields(0), "url": f"https://example.org/report/{uuid.uuid4()}"},
            )
            claims.append(incident_services.ClaimSubmission(claim=claim))
        incident = incident_services.log_incident(
            logged_by=created_by,
            incident=model_class(*args, **kwargs),
            place=place,
            actors=actors,
            claims=claims,
            submit=status != IncidentStatus.DRAFT,
        )
        if status in (IncidentStatus.PUBLISHED, IncidentStatus.WITHDRAWN):
            editor = fresh(reference_editor())
            claim_services.review_claim(
                claim=claims[0].claim, reviewer=editor, to_status="verified", note="Checked."
            )
            incident_services.publish_incident(incident=incident, editor=editor)
        if status == IncidentStatus.WITHDRAWN:
            incident_services.withdraw_incident(
                incident=incident, editor=fresh(reference_editor()), reason="Test withdrawal."
            )
        return incident


class IncidentItemFactory(factory.django.DjangoModelFactory):
    """An item added to ``incident`` by an edit of its journalist (or an editor)."""

    class Meta:
        model = IncidentItem

    incident = factory.SubFactory(IncidentFactory)
    category = factory.LazyFunction(lambda: ItemCategory.objects.get(slug="cars"))
    description = "cars"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        item = model_class(*args, **kwargs)
        incident = item.incident
        editor = incident.created_by
        if incident.status not in (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED):
            editor = reference_editor()
        incident_services.edit_incident(
            incident=incident,
            editor=fresh(editor),
            expected_version=incident.version,
            changes={},
            items=[item],
        )
        return item


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim added to ``incident`` by ``submitted_by`` (its journalist unless given)."""

    class Meta:
        model = Claim

    incident = factory.SubFactory(IncidentFactory)
    source = factory.SubFactory(SourceFactory)
    medium = Medium.TWEET
    url = factory.Sequence(lambda n: claim_fields(n)["url"])
    published_at = factory.LazyFunction(
        lambda: datetime.datetime(2022, 4, 2, 12, 0, tzinfo=datetime.UTC)
    )
    language = "en"
    original_text = "Hundreds of cars with loot were grabbed by retreating troops."
    submitted_by = factory.SelfAttribute("incident.created_by")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        submitted_by = fresh(kwargs.pop("submitted_by"))
        return claim_services.create_claim(
            claim=model_class(*args, **kwargs), submitted_by=submitted_by
        )


def _content_editor(incident):
    """Who edits ``incident``'s content in tests: its journalist until it is published,
    then the reference editor."""
    if incident.status in (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED):
        return fresh(incident.created_by)
    return fresh(reference_editor())


def set_route(incident, *points, by=None):
    """Make ``points`` the route of ``incident``, through edit_incident as its journalist
    (or an editor, once published) does. Each point is a Place, or a (Place, fields) pair
    whose fields may hold ``claims`` (claims of the incident) and RoutePoint fields."""
    incident.refresh_from_db()
    route = []
    for point in points:
        place, fields = point if isinstance(point, tuple) else (point, {})
        fields = dict(fields)
        claims = fields.pop("claims", ())
        route.append(
            incident_services.RoutePointSubmission(
                point=RoutePoint(place=place, **fields), claims=claims
            )
        )
    incident_services.edit_incident(
        incident=incident,
        editor=by or _content_editor(incident),
        expected_version=incident.version,
        changes={},
        route=route,
    )
    return list(incident.route_points.order_by("position"))


def link(origin, destination, *, kind="sold_at", by=None):
    """Link ``destination`` to ``origin`` as where the goods of ``origin`` went, by an edit
    of ``origin``."""
    origin.refresh_from_db()
    incident_services.edit_incident(
        incident=origin,
        editor=by or _content_editor(origin),
        expected_version=origin.version,
        changes={},
        links=[
            *(
                incident_services.LinkSubmission(incident=other, kind=str(k), role=role)
                for other, k, role in _links_of(origin)
            ),
            incident_services.LinkSubmission(
                incident=destination, kind=kind, role=LinkRole.DESTINATION
            ),
        ],
    )


def _links_of(incident):
    incident = Incident.objects.prefetch_related(
        "links_to_destinations__destination", "links_to_origins__origin"
    ).get(pk=incident.pk)
    return incident.linked_incidents()


def submit(incident):
    """Send ``incident`` (a draft with claims) to the review queue, as its journalist does."""
    incident_services.submit_incident(incident=incident, user=fresh(incident.created_by))
    return incident
