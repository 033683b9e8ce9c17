"""Email addresses as the platform compares them: one form per address, and
look-alikes (homoglyphs from another alphabet) refused."""

import unicodedata

from confusable_homoglyphs import categories, confusables

PLAIN_ALIASES = {"LATIN", "COMMON"}


def normalise_email(email: str | None) -> str:
    """NFKC (full-width and compatibility characters to their plain form), trimmed, lower
    case. Only the first 320 characters are read: no address is longer, and NFKC of a
    megabyte of ligatures would cost a second."""
    return unicodedata.normalize("NFKC", (email or "")[:320]).strip().lower()


def mixes_scripts(email: str) -> bool:
    """True when the local part or a domain label mixes alphabets (Latin with Cyrillic, ...)."""
    if email.isascii():  # Latin letters only (digits and punctuation belong to every script)
        return False
    local, _, domain = email.partition("@")
    return any(confusables.is_mixed_script(part) for part in [local, *domain.split(".")] if part)


def skeleton(email: str) -> str:
    """``email`` with each letter from another alphabet that looks like a Latin one
    replaced by that Latin letter ('paypal' spelt with Cyrillic er, a and u becomes the Latin 'paypal')."""
    letters = []
    for character in email:
        if categories.alias(character) in PLAIN_ALIASES:
            letters.append(character)
            continue
        found = confusables.is_confusable(character, preferred_aliases=["latin"], greedy=False)
        latin = [g["c"] for g in (found[0]["homoglyphs"] if found else []) if g["c"].isascii()]
        letters.append(latin[0] if latin else character)
    return "".join(letters)
