"""Factories for tests. Editorial state (reviews, publication) is set through the services,
as in production, never by writing status fields directly."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Claim, Medium, Source, SourceKind
from incidents.models import (
    Actor,
    ActorKind,
    Incident,
    IncidentItem,
    ItemCategory,
    Place,
    PlacePrecision,
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
        if not extracted:
            return
        user.groups.add(Group.objects.get(name=extracted))
        if extracted == "editor":
            user.is_staff = True
            user.save(update_fields=["is_staff"])


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Village {n}")
    country = "UA"
    admin1 = "Kyiv Oblast"
    latitude = "50.450000"
    longitude = "30.520000"
    precision = PlacePrecision.SETTLEMENT


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = ActorKind.UNIT
    country = "RU"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = SourceKind.MEDIA
    country = "UA"


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Looting incident {n}")
    summary = "Homes were looted."
    place = factory.SubFactory(PlaceFactory)
    occurred_from = datetime.date(2022, 3, 28)
    occurred_to = datetime.date(2022, 4, 2)
    created_by = factory.SubFactory(UserFactory)


class IncidentItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncidentItem

    incident = factory.SubFactory(IncidentFactory)
    category = factory.LazyFunction(lambda: ItemCategory.objects.get(slug="cars"))
    description = "cars"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    incident = factory.SubFactory(IncidentFactory)
    source = factory.SubFactory(SourceFactory)
    medium = Medium.TWEET
    url = factory.Sequence(lambda n: f"https://twitter.com/example/status/{1000 + n}")
    published_at = factory.LazyFunction(
        lambda: datetime.datetime(2022, 4, 2, 12, 0, tzinfo=datetime.UTC)
    )
    language = "en"
    original_text = "Hundreds of cars with loot were grabbed by retreating troops."
    submitted_by = factory.SelfAttribute("incident.created_by")
