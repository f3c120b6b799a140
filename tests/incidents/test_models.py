import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services as claim_services
from incidents.models import Assessment, Incident, IncidentItem, ItemCategory, Place
from incidents.selectors import with_summary
from tests.factories import (
    ClaimFactory,
    IncidentFactory,
    PlaceFactory,
    SourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_date_range_out_of_order_is_refused_by_validation_and_database():
    incident = IncidentFactory.build(
        place=PlaceFactory(),
        created_by=UserFactory(),
        occurred_from=datetime.date(2022, 4, 2),
        occurred_to=datetime.date(2022, 4, 1),
    )
    with pytest.raises(ValidationError, match="end of the date range is before its start"):
        incident.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        incident.save()
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("latitude", "longitude"), [("90.5", "30"), ("-91", "30"), ("50", "180.1"), ("50", "-181")]
)
def test_coordinates_out_of_range_are_refused(latitude, longitude):
    place = PlaceFactory.build(latitude=Decimal(latitude), longitude=Decimal(longitude))
    with pytest.raises(ValidationError):
        place.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        place.save()
    assert not Place.objects.exists()


def test_unknown_status_is_refused_by_the_database():
    incident = IncidentFactory.build(place=PlaceFactory(), created_by=UserFactory())
    incident.status = "rumoured"
    with pytest.raises(ValidationError):
        incident.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        incident.save()


def test_country_code_must_be_iso_alpha_2():
    with pytest.raises(ValidationError, match="ISO 3166-1 alpha-2"):
        PlaceFactory.build(country="Ukraine").full_clean()


def test_quantity_range_must_be_in_order():
    item = IncidentItem(
        incident=IncidentFactory(),
        category=ItemCategory.objects.get(slug="cars"),
        quantity_min=999,
        quantity_max=100,
    )
    with pytest.raises(ValidationError, match="maximum quantity is below the minimum"):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_category_slugs_are_unique():
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemCategory.objects.create(slug="cars", name="Cars again")


def test_categories_have_only_two_levels():
    grandchild = ItemCategory(
        slug="hatchbacks", name="Hatchbacks", parent=ItemCategory.objects.get(slug="cars")
    )
    with pytest.raises(ValidationError, match="two levels"):
        grandchild.full_clean()


def test_data_migration_seeds_the_taxonomy():
    top_level = set(ItemCategory.objects.filter(parent=None).values_list("slug", flat=True))
    assert {
        "vehicles",
        "electronics",
        "household-appliances",
        "jewellery-and-valuables",
        "cash",
        "furniture-and-carpets",
        "clothing-and-shoes",
        "cosmetics",
        "childrens-toys",
        "food-and-alcohol",
        "industrial-goods",
        "grain-and-agricultural-produce",
        "agricultural-machinery",
        "medical-supplies",
        "cultural-property",
        "other",
    } == top_level
    cultural = ItemCategory.objects.get(slug="cultural-property")
    assert set(cultural.children.values_list("slug", flat=True)) == {
        "artworks",
        "museum-objects",
        "archives",
        "religious-objects",
    }


def test_data_migration_creates_least_privilege_roles():
    journalist = set(
        Group.objects.get(name="journalist").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="editor").permissions.values_list("codename", flat=True))
    partner = Group.objects.get(name="partner").permissions.count()
    assert {"add_incident", "change_incident", "add_claim", "add_evidence"} <= journalist
    assert not {"review_claim", "publish_incident", "merge_incidents"} & journalist
    assert {"review_claim", "publish_incident", "merge_incidents", "download_original"} <= editor
    assert journalist < editor
    assert partner == 0
    # Nothing of record can be deleted, by anyone: it is withdrawn instead.
    assert not {"delete_incident", "delete_claim", "delete_review", "delete_evidence"} & editor


def test_exact_places_are_published_rounded_to_about_a_kilometre():
    home = PlaceFactory(precision="exact", latitude="50.543612", longitude="30.212345")
    assert home.location_is_rounded
    assert home.public_coordinates() == (Decimal("50.54"), Decimal("30.21"))
    home.exact_location_public = True
    assert home.public_coordinates() == (Decimal("50.543612"), Decimal("30.212345"))
    village = PlaceFactory(precision="settlement", latitude="51.200000", longitude="33.816700")
    assert village.public_coordinates() == (Decimal("51.200000"), Decimal("33.816700"))


class TestVerificationSummary:
    def review(self, claim, editor, to_status):
        claim_services.review_claim(
            claim=claim,
            reviewer=editor,
            to_status=to_status,
            note="ok",
            dispute_reason="contradicted" if to_status == "disputed" else None,
        )

    def summary(self, incident):
        row = with_summary(Incident.objects.all()).get(pk=incident.pk)
        return {
            "claims": row.claims_total,
            "verified": row.claims_verified,
            "disputed": row.claims_disputed,
            "unverified": row.claims_unverified,
            "independent_sources": row.independent_sources,
            "assessment": row.assessment,
        }

    def test_every_grade_is_derived_from_the_claims(self, editor):
        government = SourceFactory(name="Government", kind="government")
        ministry_a = SourceFactory(name="Ministry A", organisation=government)
        ministry_b = SourceFactory(name="Ministry B", organisation=government)
        outlet = SourceFactory(name="Outlet")
        incident = IncidentFactory()
        assert self.summary(incident)["assessment"] == Assessment.UNVERIFIED

        first = ClaimFactory(incident=incident, source=ministry_a)
        second = ClaimFactory(incident=incident, source=ministry_b)
        third = ClaimFactory(incident=incident, source=outlet)
        assert self.summary(incident) == {
            "claims": 3,
            "verified": 0,
            "disputed": 0,
            "unverified": 3,
            "independent_sources": 0,
            "assessment": Assessment.UNVERIFIED,
        }

        self.review(first, editor, "verified")
        self.review(second, editor, "verified")
        # Two ministries of one government are one independent source.
        assert self.summary(incident)["independent_sources"] == 1
        assert self.summary(incident)["assessment"] == Assessment.SINGLE_SOURCE

        self.review(third, editor, "verified")
        assert self.summary(incident)["independent_sources"] == 2
        assert self.summary(incident)["assessment"] == Assessment.CORROBORATED

        self.review(third, editor, "disputed")
        assert self.summary(incident)["assessment"] == Assessment.CONTESTED

        self.review(first, editor, "disputed")
        self.review(second, editor, "disputed")
        assert self.summary(incident) == {
            "claims": 3,
            "verified": 0,
            "disputed": 3,
            "unverified": 0,
            "independent_sources": 0,
            "assessment": Assessment.DISPUTED,
        }

    def test_withdrawn_claims_do_not_count(self, editor):
        incident = IncidentFactory()
        claim = ClaimFactory(incident=incident)
        self.review(claim, editor, "verified")
        claim_services.withdraw_claim(claim=claim, editor=editor, reason="Wrong incident.")
        assert self.summary(incident)["claims"] == 0
        assert self.summary(incident)["assessment"] == Assessment.UNVERIFIED

    @pytest.mark.parametrize("incidents", [1, 20])
    def test_a_page_of_summaries_costs_one_query(
        self, incidents, editor, django_assert_num_queries
    ):
        for _ in range(incidents):
            incident = IncidentFactory()
            for status in ("verified", "disputed", "unverified"):
                claim = ClaimFactory(incident=incident)
                if status != "unverified":
                    self.review(claim, editor, status)
        with django_assert_num_queries(1):
            rows = list(with_summary(Incident.objects.all()))
        assert len(rows) == incidents
        assert {row.assessment for row in rows} == {Assessment.CONTESTED}
        assert all(row.claims_total == 3 for row in rows)
