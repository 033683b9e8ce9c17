"""The shipped catalogues: every message the source asks for is in them, translated and
not fuzzy, and the compiled .mo files (what an install reads) say what their .po files say."""

from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "coopnet" / "translations"


def catalogue(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


@cache
def extracted() -> frozenset[str]:
    """What `pybabel extract` (README, Languages) finds in the source now, singular ids."""
    with open(ROOT / "babel.cfg") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = extract_from_dir(ROOT, method_map, options_map, keywords={**DEFAULT_KEYWORDS, "_l": None})
    return frozenset(message if isinstance(message, str) else message[0] for _, _, message, _, _ in found)


def singular(message_id):
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.mark.parametrize("locale", ["es", "ru"])
def test_every_message_has_a_translation_that_is_not_fuzzy(locale):
    untranslated, fuzzy = [], []
    for message in catalogue(locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", ["en", "es", "ru"])
def test_each_catalogue_holds_every_message_in_the_source(locale):
    held = {singular(m.id) for m in catalogue(locale) if m.id}
    assert extracted() - held == set(), "run pybabel extract and update (see README, Languages)"


@pytest.mark.parametrize("locale", ["es", "ru"])
def test_the_compiled_catalogue_matches_its_po(locale):
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo", "rb") as f:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    source = {plain(m.id): plain(m.string) for m in catalogue(locale) if m.id}
    assert compiled == source, "run pybabel compile -d coopnet/translations"


@pytest.mark.parametrize("locale", ["es", "ru"])
def test_placeholders_survive_translation(locale):
    import re

    named = re.compile(r"%\((\w+)\)[sd]")
    wrong = []
    for message in catalogue(locale):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(named.findall(ids[-1]))
        for string in strings:
            if set(named.findall(string)) - wanted or (wanted - {"num"}) - set(named.findall(string)):
                wrong.append(message.id)
    assert wrong == []
