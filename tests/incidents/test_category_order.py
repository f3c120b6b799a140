"""Every category picker lists subcategories under their parent."""

import json
import re

import pytest

from incidents.models import ItemCategory

pytestmark = pytest.mark.django_db


def tree_labels():
    """The seeded taxonomy in tree order, as the pickers label it."""
    labels = []
    for top in ItemCategory.objects.filter(parent__isnull=True).order_by("name"):
        labels.append(top.name)
        labels += [f"{top.name} › {child.name}" for child in top.children.order_by("name")]
    return labels


def test_in_tree_order_puts_each_subcategory_under_its_parent():
    labels = [str(category) for category in ItemCategory.objects.in_tree_order()]
    assert labels == tree_labels()
    assert labels.index("Vehicles › Cars") == labels.index("Vehicles") + 1
    assert any(" › " in label for label in labels)


def options(html, select_id):
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        label.replace("&#x27;", "'")
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
        if value
    ]


def test_the_log_form_and_the_list_filter_nest_categories(journalist_client):
    form = journalist_client.get("/incidents/new/").content.decode()
    assert options(form, "id_items-0-category") == tree_labels()
    listing = journalist_client.get("/incidents/").content.decode()
    assert options(listing, "id_category") == tree_labels()


def test_the_admin_item_search_nests_categories(editor_client):
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "incidents",
            "model_name": "incidentitem",
            "field_name": "category",
            "term": "",
        },
    )
    labels = [result["text"] for result in json.loads(response.content)["results"]]
    assert labels == tree_labels()[: len(labels)]
