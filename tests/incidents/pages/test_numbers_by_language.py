"""Counts are written as each language writes numbers: 1,234 in English, 1 234 (with a
non-breaking space) in Ukrainian, wherever a page shows how many incidents there are."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def thousands(db):
    call_command("generate_demo_data", "--incidents", "1500", "--seed", "3")


def result_count(content):
    return re.search(r'<p class="result-count" role="status">(.*?)</p>', content).group(1)


def test_the_timeline_counts_in_each_languages_digits(thousands, journalist_client):
    url = reverse("incidents:timeline")

    english = result_count(journalist_client.get(url).content.decode())
    journalist_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    ukrainian = result_count(journalist_client.get(url).content.decode())

    assert re.fullmatch(r"1,\d{3} incidents, by the week they began\.", english), english
    assert re.fullmatch(r"1\xa0\d{3} інцидент(и|ів) за тижнем, коли вони почалися\.", ukrainian), (
        ukrainian
    )
    assert english.split(" ")[0].replace(",", "") == ukrainian.split(" ")[0].replace("\xa0", "")


def test_the_list_counts_a_thousand_in_each_languages_digits(thousands, journalist_client):
    url = reverse("incidents:list")

    english = result_count(journalist_client.get(url).content.decode())
    journalist_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    ukrainian = result_count(journalist_client.get(url).content.decode())

    # The list counts up to 1,000 and says "more than" past it.
    assert english == "More than 1,000 incidents"
    assert re.fullmatch(r"\D*1\xa0000\D*", ukrainian), ukrainian
