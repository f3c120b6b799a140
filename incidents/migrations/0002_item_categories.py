"""Seed the two-level item taxonomy. Slugs are stable: partners filter by them."""

from django.db import migrations

CATEGORIES = [
    ("vehicles", "Vehicles", [
        ("cars", "Cars"),
        ("trucks-and-vans", "Trucks and vans"),
        ("motorcycles-and-bicycles", "Motorcycles and bicycles"),
    ]),
    ("electronics", "Electronics", [
        ("phones-and-tablets", "Phones and tablets"),
        ("computers", "Computers"),
        ("televisions-and-audio", "Televisions and audio"),
    ]),
    ("household-appliances", "Household appliances", [
        ("washing-machines", "Washing machines"),
        ("refrigerators", "Refrigerators"),
        ("small-appliances", "Small appliances"),
    ]),
    ("jewellery-and-valuables", "Jewellery and valuables", []),
    ("cash", "Cash", []),
    ("furniture-and-carpets", "Furniture and carpets", [
        ("furniture", "Furniture"),
        ("carpets", "Carpets"),
    ]),
    ("clothing-and-shoes", "Clothing and shoes", []),
    ("cosmetics", "Cosmetics", []),
    ("childrens-toys", "Children's toys", []),
    ("food-and-alcohol", "Food and alcohol", []),
    ("industrial-goods", "Industrial goods", []),
    ("grain-and-agricultural-produce", "Grain and agricultural produce", []),
    ("agricultural-machinery", "Agricultural machinery", []),
    ("medical-supplies", "Medical supplies", []),
    ("cultural-property", "Cultural property", [
        ("artworks", "Artworks"),
        ("museum-objects", "Museum objects"),
        ("archives", "Archives"),
        ("religious-objects", "Religious objects"),
    ]),
    ("other", "Other", []),
]


def seed_categories(apps, schema_editor):
    ItemCategory = apps.get_model("incidents", "ItemCategory")
    for slug, name, children in CATEGORIES:
        parent, _ = ItemCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "parent": None}
        )
        for child_slug, child_name in children:
            ItemCategory.objects.update_or_create(
                slug=child_slug, defaults={"name": child_name, "parent": parent}
            )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(seed_categories, migrations.RunPython.noop)]
