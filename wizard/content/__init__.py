"""The wizard's content: every Erasmus+ fact and every user-facing text, from ``content/``.

- ``schema``: one pydantic model per YAML file (extra keys forbidden);
- ``files``: reading one file, every problem a line (``ContentError``);
- ``edition``: one validated edition with its lookups;
- ``refs``: the checks across files (ids, references, sources);
- ``load``: an edition validated once and cached;
- ``records``: what the rest of the wizard reads, the validated data as plain objects.

No Textual import here: the engine and the ``check`` command stand on this package alone.
pydantic is imported only where content is validated: the schema's models are loaded on
first use (``wizard.content.Sector`` …), so a start with a fresh cache never imports it.
"""
from typing import TYPE_CHECKING, Any

from wizard.content.edition import EDITION_PARTS, Edition
from wizard.content.files import ContentError, load_file
from wizard.content.load import (
    forget_loaded_editions,
    json_schemas,
    load_edition,
    load_edition_at,
    load_edition_dir,
    schema_filename,
)
from wizard.texts import (  # noqa: F401  (the light half of content loading, with the rest)
    CONTENT_DIR,
    LANGS,
    STEPS,
    Ui,
    available_editions,
    cached,
    default_edition,
    editions_dir,
    pick,
    placeholders,
    plural_problems,
)

if TYPE_CHECKING:
    from wizard.content.refs import cross_check
    from wizard.content.schema import (
        EDITION_FILES,
        NOTE_PLACES,
        Activity,
        BudgetNote,
        DemoFile,
        Format,
        Model,
        Sector,
        SourceRef,
        Suggestion,
        Text,
        UiFile,
    )

_LAZY = {"cross_check": "refs", **dict.fromkeys(("EDITION_FILES", "NOTE_PLACES", "Activity", "BudgetNote", "DemoFile", "Format",
                                                  "Model", "Sector", "SourceRef", "Suggestion", "Text", "UiFile"), "schema")}


def __getattr__(name: str) -> Any:
    """The names that need pydantic, imported when first asked for."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
