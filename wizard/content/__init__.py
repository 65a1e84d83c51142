"""The wizard's content: every Erasmus+ fact and every user-facing text, from ``content/``.

- ``schema``: one pydantic model per YAML file (extra keys forbidden);
- ``files``: reading one file, every problem a line (``ContentError``);
- ``edition``: one validated edition with its lookups;
- ``refs``: the checks across files (ids, references, sources);
- ``load``: an edition validated once and cached.

No Textual import here: the engine and the ``check`` command stand on this package alone.
"""
from wizard.content.edition import EDITION_PARTS, Edition
from wizard.content.files import ContentError, load_file
from wizard.content.load import json_schemas, load_edition, load_edition_at, load_edition_dir, schema_filename
from wizard.content.refs import cross_check, placeholders
from wizard.content.schema import (
    EDITION_FILES,
    LANGS,
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
from wizard.texts import (  # noqa: F401  (the light half of content loading, with the rest)
    CONTENT_DIR,
    STEPS,
    Ui,
    available_editions,
    cached,
    default_edition,
    editions_dir,
    pick,
    plural_problems,
)
