"""A journalist switches the pages to Ukrainian in the header and logs an incident: the
form's labels, its errors, what the scripts say (the gazetteer, the map) and the result are in
Ukrainian; so are the incident's page and the form adding a claim to it; the choice stays."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Profile
from incidents import gazetteer
from incidents.demo import loader
from incidents.models import Incident
from tests.browser.journalist import fill_claim, sign_in
from tests.factories import UserFactory, reference_editor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_log_an_incident_in_ukrainian(page, live_server):
    # The live server runs in this process: read the gazetteer's data now, not while the
    # browser waits for its first look-up (seconds on a busy machine).
    gazetteer.lookup("Kyiv")
    jo = UserFactory(username="jo", role="journalist")
    sign_in(page, "jo")

    page.get_by_label("Language").select_option("uk")
    page.get_by_role("button", name="Switch language").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Інциденти")

    page.get_by_role("link", name="Внести інцидент").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Внести інцидент")
    page.wait_for_load_state("load")
    expect(page.locator("label[for=id_title]")).to_contain_text("Назва")
    expect(page.locator("label[for=id_occurred_from]")).to_contain_text("Сталося з")
    expect(page.locator("label[for=id_items-0-category]")).to_contain_text("Категорія")

    # Sent empty: the errors are in Ukrainian too (Django's own, and ours).
    page.get_by_role("button", name="Надіслати на перевірку").click()
    expect(page.get_by_text("Поки що нічого не збережено.")).to_be_visible()
    expect(page.get_by_text("Оберіть місце або опишіть нове нижче.")).to_be_visible()
    expect(page.get_by_text(re.compile("Це поле обов.язкове")).first).to_be_visible()
    assert Incident.objects.count() == 0

    page.locator("#id_title").fill("Пральні машини вивезли з Мелітополя")
    page.locator("#id_summary").fill("Мешканці не знайшли побутової техніки після обшуків.")
    page.locator("#id_occurred_from").fill("2022-03-20")
    page.locator("#id_occurred_to").fill("2022-03-30")
    place = page.get_by_role("group", name="Місце", exact=True)
    place.get_by_text("Додати нове місце").click()
    place.get_by_label("Знайти населений пункт").fill("Мелітополь")
    place.get_by_role("button", name=re.compile("^Melitopol — Запорізька область, UA")).click()
    expect(page.locator("#id_new_place-admin1")).to_have_value("Запорізька область")
    # The gazetteer's script speaks Ukrainian too (the djangojs catalogue at /jsi18n/).
    expect(place.get_by_text("Заповнено з довідника населених пунктів: Melitopol.")).to_be_visible()
    # A second point of the route: its legend numbered as the server numbers the first.
    expect(page.locator("#route-forms legend[data-numbered]").first).to_have_text(
        "Місце 1, куди вивезли майно"
    )
    page.get_by_role("button", name="Додати ще одне місце").click()
    expect(page.locator("#route-forms legend[data-numbered]").nth(1)).to_have_text(
        "Місце 2, куди вивезли майно"
    )
    page.locator("#id_items-0-category").select_option(label="Побутова техніка › Пральні машини")
    fill_claim(
        page,
        0,
        new_source_name="Міністерство оборони України",
        new_source_kind="government",
        medium="facebook_post",
        url="https://facebook.com/MinistryofDefence.UA/posts/4343",
        language="uk",
        original_text="Окупанти вивозять пральні машини з Мелітополя.",
    )
    page.get_by_role("button", name="Надіслати на перевірку").click()

    expect(page.get_by_text("Інцидент внесено й надіслано на перевірку.")).to_be_visible()
    expect(page.get_by_text("Надіслано на перевірку").first).to_be_visible()
    incident = Incident.objects.get()
    assert incident.place.admin1_code == "UA-23"
    assert Profile.objects.get(user=jo).language == "uk"

    # The incident's page: its sections and facts in Ukrainian.
    expect(page.get_by_role("heading", level=1)).to_have_text("Пральні машини вивезли з Мелітополя")
    for heading in ("Що забрали", "Куди вивезли майно", "Твердження (1)", "Історія змін"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("dt", has_text="Ймовірні виконавці")).to_be_visible()
    expect(page.get_by_text("Не названо")).to_be_visible()

    # Adding a claim: the form, and its refusal, in Ukrainian.
    page.get_by_role("button", name="Додати твердження").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Додати твердження")
    expect(page.locator("legend", has_text="Твердження")).to_be_visible()
    expect(page.get_by_text("Джерела немає в списку")).to_be_visible()
    expect(page.locator("label[for=id_original_text]")).to_contain_text("Цитата (мовою оригіналу)")
    page.get_by_role("button", name="Додати твердження").click()
    expect(page.get_by_text("Поки що нічого не збережено.")).to_be_visible()
    expect(page.get_by_text("Виправте, будь ласка, позначені поля нижче.")).to_be_visible()
    assert incident.claims.count() == 1

    # The map's status line, written by map.js.
    page.goto(f"{live_server.url}/incidents/map/")
    expect(page.locator("#map-status")).to_have_text("На мапі 1 інцидент.")


@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_incident_list_fits_a_laptop_and_a_phone(page, live_server, language):
    """The demo's incidents listed at 1280 px: the table fits its box, every column (Status
    last) in sight; Ukrainian's longer words included. At 390 px the rows fold into cards."""
    journalist = UserFactory(username="jo", role="journalist")
    loader.load(journalist=journalist, editor=reference_editor())
    sign_in(page, "jo")
    if language == "uk":
        page.get_by_label("Language").select_option("uk")
        page.get_by_role("button", name="Switch language").click()
        expect(page.locator("html")).to_have_attribute("lang", "uk")
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/incidents/")
        expect(page.locator(".incident-table tbody tr").first).to_be_visible()
        sizes = page.evaluate(
            """() => {
                const wrap = document.querySelector(".table-wrap");
                const root = document.documentElement;
                const status = document.querySelector(".incident-table thead th:last-child");
                return {
                    page: root.scrollWidth - root.clientWidth,
                    table: wrap.scrollWidth - wrap.clientWidth,
                    statusRight: status ? status.getBoundingClientRect().right : 0,
                    wrapRight: wrap.getBoundingClientRect().right,
                };
            }"""
        )
        assert sizes["page"] <= 1, (language, width, sizes)
        assert sizes["table"] <= 1, (language, width, sizes)
        if width == 1280:
            assert 0 < sizes["statusRight"] <= sizes["wrapRight"] + 1, (language, sizes)
