"""The partner form by keyboard: the country field finds a country by its code (also the codes
Erasmus+ uses, EL and UK) or its name, in the order of the user's language; a choice keeps the
focus on its field, and Tab follows the form."""
from contextlib import asynccontextmanager

import pytest

from wizard.content import available_editions, load_edition
from wizard.widgets.country_picker import CountryPicker

from conftest import HE_PLAN, make_app, partner, settle


def shown(picker: CountryPicker) -> list[str]:
    """The options of the open list, as they read."""
    matches = picker.query_one("#matches")
    return [str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)]


def highlighted(picker: CountryPicker) -> str:
    matches = picker.query_one("#matches")
    return str(matches.get_option_at_index(matches.highlighted).prompt)


async def press(pilot, *keys):
    await pilot.press(*keys)
    await settle(pilot)


@asynccontextmanager
async def country_field(lang: str = "en"):
    """The partner form of a higher-education plan at 80×24, the country field focused."""
    app = make_app(lang, {"sector": "higher_education"}, start="partners")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        picker = app.screen.query_one("#country", CountryPicker)
        picker.focus()
        await settle(pilot)
        yield pilot, picker


async def test_typing_on_the_closed_field_opens_the_list_filtered():
    async with country_field("en") as (pilot, picker):
        app = pilot.app
        assert not picker.expanded
        await press(pilot, "N", "L")
        assert picker.expanded and picker.query_one("#filter").value == "NL"
        assert highlighted(picker).startswith("Netherlands (NL)")
        await press(pilot, "enter")
        assert picker.value == "NL" and not picker.expanded
        assert app.focused is picker  # the choice keeps the focus on the field
        assert "Netherlands (NL)" in str(picker.query_one("#current").render())


@pytest.mark.parametrize("lang, typed, first, before", [
    ("en", "UK", "United Kingdom (GB, UK)", "Ukraine"),
    ("en", "el", "Greece (GR, EL)", None),
    ("en", "Turk", "Türkiye", "Turkmenistan"),
    ("en", "Aust", "Austria", "Australia"),  # both start so: the programme country first
    ("en", "nl", "Netherlands", None),
    ("en", "macedonia", "North Macedonia", None),  # a word of the name
    ("nl", "Turk", "Turkije", "Turkmenistan"),
    ("nl", "oost", "Oostenrijk", "Oost-Timor"),
    ("nl", "be", "België", "Belarus"),  # the code first, then names that start so
    ("nl", "oekrai", "Oekraïne", None),  # no accent needed
])
async def test_codes_then_name_prefixes_first(lang, typed, first, before):
    async with country_field(lang) as (pilot, picker):
        await press(pilot, *typed)
        options = shown(picker)
        assert highlighted(picker).startswith(first) and options[0].startswith(first), options[:4]
        if before is not None:
            assert any(o.startswith(before) for o in options[1:]), options


@pytest.mark.parametrize("lang, earlier, later", [
    ("en", "Åland Islands", "Albania"),  # å sorts as a
    ("en", "Türkiye", "Tuvalu"),
    ("en", "Côte d’Ivoire", "Croatia"),
    ("nl", "Oekraïne", "Oezbekistan"),
    ("nl", "Réunion", "Roemenië"),
])
async def test_the_whole_list_in_the_order_of_the_language(lang, earlier, later):
    async with country_field(lang) as (pilot, picker):
        await press(pilot, "enter")
        names = [o.split(" (")[0] for o in shown(picker)]
        assert len(names) > 240
        assert names.index(earlier) < names.index(later)


async def test_esc_closes_the_list_and_keeps_the_typed_text():
    async with country_field("en") as (pilot, picker):
        app = pilot.app
        await press(pilot, "m", "a")
        await press(pilot, "escape")
        assert not picker.expanded and app.focused is picker and app.current_step == "partners"
        await press(pilot, "enter")  # opens again on what was typed
        assert picker.query_one("#filter").value == "ma" and highlighted(picker).startswith("Morocco (MA)")  # its code
        second = shown(picker)[1]
        await press(pilot, "down", "enter")
        assert second.startswith(picker.countries[picker.value].label)
        await press(pilot, "escape")  # closed: Esc is the screen's again (Back)
        assert app.current_step == "partnership_type"


async def test_nothing_found_says_what_to_type():
    async with country_field("nl") as (pilot, picker):
        await press(pilot, "x", "q", "z")
        assert shown(picker) == ["Geen land gevonden voor “xqz”: typ een deel van de naam of de code."]
        await press(pilot, "enter")  # nothing to choose
        assert picker.value is None and picker.expanded


async def test_leaving_the_open_list_closes_it():
    async with country_field("en") as (pilot, picker):
        await press(pilot, "f", "r")
        await press(pilot, "tab")
        assert not picker.expanded and picker.value is None


@pytest.mark.parametrize("edition_id", available_editions())
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_help_names_countries_as_the_list_does(edition_id, lang):
    """The partners help lists the associated countries outside the EU: by the names the list uses
    ("Türkiye", not "Turkey")."""
    edition = load_edition(edition_id)
    text = edition.help.steps["partners"](lang)
    for code in ("MK", "IS", "LI", "NO", "TR", "RS"):
        assert edition.countries[code].name(lang) in text, (code, edition.countries[code].name(lang))


async def test_the_mouse_opens_the_list_and_chooses():
    async with country_field("en") as (pilot, picker):
        await pilot.click("#country")
        await settle(pilot)
        assert picker.expanded
        await press(pilot, "s", "w", "e")
        await pilot.click("#matches", offset=(2, 0))
        await settle(pilot)
        assert picker.value == "SE" and not picker.expanded


async def test_a_choice_keeps_the_focus_and_tab_follows_the_form():
    """Choosing never moves the focus past a field: Tab after a choice reaches the next field,
    and Tab, Enter after the role adds the organisation (it pressed ← Back)."""
    async with country_field("en") as (pilot, picker):
        app = pilot.app
        await press(pilot, "N", "L", "enter")
        assert app.focused is picker
        await press(pilot, "tab")
        assert app.focused.id == "type"
        await press(pilot, "enter", *"higher", "enter")
        assert app.focused.id == "type" and app.focused.value == "higher_education_institution"
        await press(pilot, "tab")
        assert app.focused.id == "role"
        await press(pilot, "enter", "enter")  # the current role, chosen
        assert app.focused.id == "role"
        await press(pilot, "tab")
        assert app.focused.id == "eche"  # shown for a higher education institution
        await press(pilot, "tab")
        assert app.focused.id == "add"
        await press(pilot, "enter")
        assert app.current_step == "partners"
        assert "Fill in the name" in str(app.screen.query_one("#form-error").render())


async def test_tab_enter_after_the_role_adds_and_never_goes_back():
    async with country_field("nl") as (pilot, picker):
        app = pilot.app
        app.screen.query_one("#name").value = "Jongerencentrum De Peppel"
        picker.value = "NL"
        app.screen.query_one("#type").value = "youth_organisation"  # no ECHE field
        app.screen.query_one("#role").focus()
        await press(pilot, "enter", *"partner", "enter")
        assert app.focused.id == "role" and app.focused.value == "partner"
        await press(pilot, "tab", "enter")
        assert app.current_step == "partners"
        assert [p.name for p in app.answers.partners] == ["Jongerencentrum De Peppel"]


NARROW_PLAN = {**HE_PLAN, "partners": [
    partner("Hogeschool Utrecht University of Applied Sciences", "NL", role="coordinator"),
    partner("Universität Wien", "AT", eche=None),
    partner("Gemeente Porto", "PT", "public_body", "associated_partner")]}


@pytest.mark.parametrize("lang, size", [("en", (60, 20)), ("nl", (60, 20)), ("en", (80, 24)), ("nl", (80, 24))])
async def test_the_partner_table_fits_without_scrolling_sideways(lang, size):
    """Every column that decides the verdict shows whole (country, role, ECHE, counts); a long
    name is cut with "…", and in a narrow window the type goes under the name."""
    from textual.widgets import DataTable

    app = make_app(lang, NARROW_PLAN, start="partners")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width, (table.virtual_size, table.size)
        keys = [c.key.value for c in table.columns.values()]
        assert keys[1] == "country" and keys[-3:] == ["role", "eche", "counts"]
        first = [str(cell) for cell in table.get_row_at(0)]
        counts, eche = app.t("partners.counts.yes"), app.t("partners.eche_short.yes")
        assert first[0].startswith("Hogeschool") and "…" in first[0] and first[-2:] == [eche, counts]
        assert str(table.get_row_at(1)[-2]) == app.t("partners.eche_short.unknown")

