"""Step 4: add, edit and remove the participating organisations, with live counters."""
from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Select, Static

from wizard.answers import Partner, clean_name, organisation_key
from wizard.content import Edition
from wizard.engine import count_partners, limits
from wizard.screens.base import StepScreen
from wizard.texts import sort_key
from wizard.widgets.country_picker import Country, CountryPicker

ECHE_VALUES = {"yes": True, "no": False, "unknown": None}  # the ECHE choice's keys (texts partners.eche.*)
ECHE_CHOICE = {value: key for key, value in ECHE_VALUES.items()}


@lru_cache(maxsize=8)
def countries(edition: Edition, lang: str, marks: tuple[str, str, str]) -> list[Country]:
    """The country field's countries (250) in the order of the user's language, with their codes
    (and the codes Erasmus+ uses, EL and UK); programme (associated), other and excluded
    countries marked and found in that order: built once per edition, language and wording."""
    aliases: dict[str, list[str]] = {}
    for alias, code in edition.aliases.items():
        aliases.setdefault(code, []).append(alias)
    found = []
    for c in sorted(edition.countries.values(), key=lambda c: sort_key(c.name(lang))):
        codes = (c.code, *aliases.get(c.code, ()))
        group = 2 if c.code in edition.excluded_countries else 0 if c.code in edition.programme_countries else 1
        found.append(Country(c.code, c.name(lang), f"{c.name(lang)} ({', '.join(codes)}) · {marks[group]}", codes, group))
    return found


class PartnersScreen(StepScreen):
    step = "partners"
    LIVE_EXCLUDE = {"minimum_organisations", "minimum_countries"}  # the counters show these live
    FOCUS_FOR_RULE = {
        "minimum_organisations": "#name",
        "minimum_countries": "#name",
        "maximum_organisations": "#table",
        "partner_countries": "#table",
        "coordinator": "#table",
        "eche": "#table",
    }

    def __init__(self) -> None:
        super().__init__()
        self.editing: int | None = None

    # --- layout -----------------------------------------------------------------------
    def compose_body(self) -> ComposeResult:
        app, e, lang = self.app, self.app.edition, self.app.lang
        yield Static(Content(self.t("partners.question")), classes="question")
        yield self.note("partners")
        yield Static(id="counters", classes="counters")
        yield Static(id="not-counted", classes="para hint")
        yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
        yield Static(Content(self.t("partners.edit_hint")), id="edit-hint", classes="hint")
        with Vertical(id="form", classes="-cursor-in"):  # focus_first() puts the cursor in it
            yield Static(id="form-title", classes="form-title")
            yield Static(Content(self.t("partners.name")), classes="flabel")
            yield Input(id="name", max_length=200, compact=True, placeholder=self.t("partners.name_placeholder"))
            yield Static(Content(self.t("partners.country")), classes="flabel")
            yield CountryPicker(self._countries(), id="country", prompt=self.t("partners.select_prompt"),
                                placeholder=self.t("partners.country_filter"),
                                no_match=lambda text: self.t("partners.country_no_match", query=text))
            yield Static(Content(e.countries_file.partner_country_note(lang)), id="partner-country-note", classes="hint")
            yield Static(Content(self.t("partners.type")), classes="flabel")
            yield Select([(Text(o.name(lang)), o.id) for o in e.organisation_types.values()], id="type",
                         prompt=self.t("partners.select_prompt"), compact=True)
            yield Static(Content(self.t("partners.role")), classes="flabel")
            yield Select([(Text(r.name(lang)), r.id) for r in e.roles.values()], id="role",
                         prompt=self.t("partners.select_prompt"), compact=True)
            with Vertical(id="eche-box"):
                yield Static(Content(self.t("partners.eche")), classes="flabel")
                yield Select([(Text(self.t(f"partners.eche.{k}")), k) for k in ECHE_VALUES], id="eche",
                             allow_blank=False, value="unknown", compact=True)
            yield Static(id="form-error", classes="field-error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("partners.add"), id="add", variant="success", compact=True)
                yield Button(self.t("partners.remove"), id="remove", variant="error", compact=True)
                yield Button(self.t("partners.cancel"), id="cancel", compact=True)

    def _countries(self) -> list[Country]:
        marks = (self.t("partners.programme"), self.t("partners.partner_country"), self.t("partners.excluded_country"))
        return countries(self.app.edition, self.app.lang, marks)

    NAME_ROOM = 12  # the least the name column gets before the type moves under the name

    _form_for: list | None = None  # the organisations the form was last filled against

    def sync(self) -> None:
        """The table shows the plan; a half-filled form stays when the user comes back,
        unless the organisations changed meanwhile (then it starts empty)."""
        partners = list(self.app.answers.partners or [])
        if self._form_for is None or partners != self._form_for:
            self.reset_form()
        self._form_for = partners
        self.refresh_partners()

    def focus_first(self) -> None:
        """The cursor in the name field, with the question and the list still in view."""
        self.query_one("#name").focus(scroll_visible=False)
        self.query_one("#body").scroll_home(animate=False)

    def on_descendant_focus(self) -> None:
        self.mark_form()

    def on_descendant_blur(self) -> None:
        self.mark_form()

    def mark_form(self) -> None:
        """The form stands out while the cursor is in it: a class set when the cursor enters or
        leaves it (Textual's :focus-within restyles the whole form at every move inside it)."""
        form, focused = self.query_one("#form"), self.focused
        form.set_class(focused is not None and form in focused.ancestors, "-cursor-in")

    # --- rendering ----------------------------------------------------------------------
    def refresh_partners(self) -> None:
        app, e, lang = self.app, self.app.edition, self.app.lang
        partners = app.answers.partners or []
        table = self.query_one("#table", DataTable)
        pc = count_partners(app.answers, e, lang)
        counted = {id(p) for p in pc.counted}
        rows = []
        for p in partners:
            needs = e.organisation_types[p.organisation_type].needs_eche
            eche = "" if not needs else self.t(f"partners.eche_short.{ECHE_CHOICE[p.eche]}")
            rows.append({"country": p.country, "type": e.organisation_types[p.organisation_type].short(lang),
                         "role": e.roles[p.role].short(lang), "eche": eche,
                         "counts": self.t("partners.counts.yes" if id(p) in counted else "partners.counts.no")})
        # the columns that decide the verdict (country, role, ECHE, counts) as wide as they need;
        # the name gets the rest, cut with "…"; when that leaves it too little room (a narrow
        # window), the type moves under the name instead of taking a column of its own
        def width(key: str) -> int:
            return max([cell_len(self.t(f"partners.col.{key}"))] + [cell_len(r[key]) for r in rows]) + 2

        available = self.size.width - 8 if self.size.width else 200
        room = available - sum(width(k) for k in ("country", "type", "role", "eche", "counts"))
        stacked = room < self.NAME_ROOM
        keys = ("name", "country", "role", "eche", "counts") if stacked else ("name", "country", "type", "role", "eche", "counts")
        if stacked:
            room = max(self.NAME_ROOM // 2, room + width("type"))
        cursor = table.cursor_row  # the organisation the cursor is on stays under it
        table.clear(columns=True)  # the widths are set for these rows and this window
        for key in keys:
            title = self.t(f"partners.col.{'organisation' if stacked and key == 'name' else key}")
            wide = max(room, cell_len(title)) if key == "name" else width(key) - 2
            table.add_column(Text(title), width=wide, key=key)  # a str would be read as markup (and load rich's emoji table)
        for i, (p, row) in enumerate(zip(partners, rows)):
            name = Text(p.name)
            name.truncate(room, overflow="ellipsis")
            if stacked:
                kind = Text(row["type"], style="dim")
                kind.truncate(room, overflow="ellipsis")
                name = Text("\n").join([name, kind])
            table.add_row(name, *(Text(row[k]) for k in keys[1:]), key=str(i), height=2 if stacked else 1)
        if partners:
            table.move_cursor(row=min(cursor, len(partners) - 1), animate=False)
        self._table_width = self.size.width
        table.display = bool(partners)
        self.query_one("#edit-hint").display = bool(partners)
        lim = limits(app.answers, e, lang)
        counters = self.query_one("#counters", Static)
        if lim is None:
            counters.update(Content(self.t("partners.no_sector" if app.answers.sector is None else "partners.no_type")))
        elif not partners:
            counters.update(Content(self.t("partners.empty")))
        else:
            n, c = len(pc.counted), len(pc.countries)
            parts = [
                self.t("partners.orgs_ok" if n >= lim.minimum_organisations else "partners.orgs_short",
                       count=n, minimum=lim.minimum_organisations),
                self.t("partners.countries_ok" if c >= lim.minimum_countries else "partners.countries_short",
                       count=c, minimum=lim.minimum_countries),
            ]
            text = " · ".join(parts)
            if lim.maximum_organisations:
                text += " " + self.t("partners.counters_max", maximum=lim.maximum_organisations)
            if lim.format is not None:
                text = self.t("summary.format", format=lim.scope_name) + "\n" + text
            counters.update(Content(text))
        ok = lim is not None and len(pc.counted) >= lim.minimum_organisations and len(pc.countries) >= lim.minimum_countries
        counters.set_class(ok, "-ok")
        notes = [self.t("partners.not_counted", name=p.name, reason=why) for p, why in pc.not_counted]
        nc = self.query_one("#not-counted", Static)
        nc.update(Content("\n".join(notes)))
        nc.display = bool(notes)

    _table_width: int | None = None  # the window width the table was last laid out for

    def on_resize(self, event) -> None:
        # the names get the width there is (a resize can come before the screen is built)
        if self.is_mounted and self.app.answers.partners and self.size.width != self._table_width:
            self.refresh_partners()

    def answers_changed(self) -> None:
        super().answers_changed()
        self._form_for = list(self.app.answers.partners or [])
        self.refresh_partners()

    # --- the form -------------------------------------------------------------------------
    def reset_form(self) -> None:
        self.editing = None
        self.query_one("#name", Input).value = ""
        self.query_one("#country", CountryPicker).clear()
        self.query_one("#type", Select).clear()
        partners = self.app.answers.partners or []
        has_coordinator = any(self.app.edition.roles[p.role].coordinates for p in partners)
        self.query_one("#role", Select).value = self.app.edition.role_for_new_organisation(has_coordinator)
        self.query_one("#eche", Select).value = "unknown"
        self.query_one("#form-error", Static).update("")
        self._update_form_state()

    def _update_form_state(self) -> None:
        editing = self.editing is not None
        partners = self.app.answers.partners or []
        title = self.t("partners.form_edit", name=partners[self.editing].name) if editing else self.t("partners.form_new")
        self.query_one("#form-title", Static).update(Content(title))
        self.query_one("#add", Button).label = self.t("partners.save") if editing else self.t("partners.add")
        self.query_one("#remove").display = editing
        self.query_one("#cancel").display = editing
        org_type = self.query_one("#type", Select).value
        needs = isinstance(org_type, str) and self.app.edition.organisation_types[org_type].needs_eche
        self.query_one("#eche-box").display = needs
        country = self.query_one("#country", CountryPicker).value
        self.query_one("#partner-country-note").display = (
            isinstance(country, str) and country not in self.app.edition.programme_countries)

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "type":
            self._update_form_state()
        # a choice keeps the focus on its field: Tab goes on to the next one in the form

    def on_country_picker_changed(self, event: CountryPicker.Changed) -> None:
        event.stop()
        self._update_form_state()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = int(event.row_key.value)
        partners = self.app.answers.partners or []
        if index >= len(partners):  # chosen in a table the plan has changed since
            return
        p = partners[index]
        self.editing = index
        self.query_one("#name", Input).value = p.name
        self.query_one("#country", CountryPicker).value = p.country
        self.query_one("#type", Select).value = p.organisation_type
        self.query_one("#role", Select).value = p.role
        self.query_one("#eche", Select).value = ECHE_CHOICE[p.eche]
        self.query_one("#form-error", Static).update("")
        self._update_form_state()
        self.query_one("#name").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#country").focus()

    _at_limit = False

    def on_input_changed(self, event: Input.Changed) -> None:
        """Say the length limit when the name reaches it (the field takes no more)."""
        if event.input.id != "name":
            return
        limit = event.input.max_length
        at_limit = bool(limit) and len(event.value) >= limit
        if at_limit:
            self.query_one("#form-error", Static).update(Content("! " + self.t("partners.name_limit", max=limit)))
        elif self._at_limit:
            self.query_one("#form-error", Static).update("")
        self._at_limit = at_limit

    def on_button_pressed(self, event: Button.Pressed) -> None:
        bid = event.button.id
        if bid == "add":
            event.stop()
            self.save_partner()
        elif bid == "remove":
            event.stop()
            self.remove_partner()
        elif bid == "cancel":
            event.stop()
            self.reset_form()
            self.query_one("#table").focus()


    def _form_error(self, key: str, focus: str, **fields) -> None:
        self.query_one("#form-error", Static).update(Content("✗ " + self.t(key, **fields)))
        self.query_one(focus).focus()
        self.app.bell()

    def save_partner(self) -> None:
        e = self.app.edition
        name = clean_name(self.query_one("#name", Input).value)
        country = self.query_one("#country", CountryPicker).value
        org_type = self.query_one("#type", Select).value
        role = self.query_one("#role", Select).value
        if not name:
            return self._form_error("partners.error.name", "#name")
        if not isinstance(country, str):
            return self._form_error("partners.error.country", "#country")
        if not isinstance(org_type, str):
            return self._form_error("partners.error.type", "#type")
        if not isinstance(role, str):
            return self._form_error("partners.error.role", "#role")
        partners = list(self.app.answers.partners or [])
        key = organisation_key(name, country)
        if any(organisation_key(p.name, p.country) == key for i, p in enumerate(partners) if i != self.editing):
            return self._form_error("partners.error.duplicate", "#name", name=name)
        eche = ECHE_VALUES[self.query_one("#eche", Select).value] if e.organisation_types[org_type].needs_eche else None
        partner = Partner(name=name, country=country, organisation_type=org_type, role=role, eche=eche)
        if self.editing is None:
            partners.append(partner)
        else:
            partners[self.editing] = partner
        self.app.update_answers(partners=partners)
        self.reset_form()
        self.query_one("#name").focus()

    def remove_partner(self) -> None:
        """Remove the organisation being edited, after a question (nothing else undoes it)."""
        from wizard.screens.dialogs import Confirm

        if self.editing is None:
            return
        index, partners = self.editing, list(self.app.answers.partners or [])

        def answered(yes: bool | None) -> None:
            if not yes or self.app.answers.partners != partners:  # no, or the plan changed meanwhile
                return
            removed = partners.pop(index)
            self.app.update_answers(partners=partners)
            self.notify(self.t("partners.removed", name=removed.name), markup=False)
            self.reset_form()
            self.query_one("#name").focus()

        self.app.push_screen(Confirm(self.t("partners.remove_question", name=partners[index].name), None,
                                     self.t("partners.remove_yes"), self.t("partners.remove_no")), answered)
