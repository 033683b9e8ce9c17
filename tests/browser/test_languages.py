"""A co-op signed up by someone whose browser speaks Spanish: every page on the way, and
the mail, is in Spanish, with no English text the catalogue knows a translation of and
no untranslated English sentence."""

import re
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD
from tests.browser.pages import PageChecks

CATALOGUE = Path(__file__).resolve().parents[2] / "coopnet" / "translations" / "es" / "LC_MESSAGES" / "messages.po"

# Words of English prose that Spanish text never contains as words of its own.
ENGLISH_WORDS = re.compile(r"\b(the|your|you|and|is|are|with|this|that|here|from|for|to|of|an)\b", re.IGNORECASE)


def english_patterns():
    """A pattern for each English message whose Spanish differs: placeholders match anything,
    markup is dropped, and messages of one short word (besides placeholders) are left out:
    they occur inside names and other text."""
    with open(CATALOGUE, "rb") as f:
        catalogue = read_po(f, locale="es")
    patterns = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        text = re.sub(r"<[^>]+>", "", message.id).strip()
        words = re.sub(r"%\(\w+\)[sd]", "", text).strip()
        if len(words) < 8 and " " not in words:
            continue
        parts = [re.escape(part) for part in re.split(r"%\(\w+\)[sd]", text)]
        body = r"\s+".join(".+?".join(parts).split(r"\ "))
        patterns.append((message.id, re.compile(r"(?<!\w)" + body + r"(?!\w)")))
    return patterns


def english_on(text, patterns, allowed=()):
    """The English messages, and the sentences with English words, found in ``text``."""
    for known in sorted(allowed, key=len, reverse=True):
        text = text.replace(known, "")
    found = [msgid for msgid, pattern in patterns if pattern.search(text)]
    found += [line.strip() for line in text.splitlines() if ENGLISH_WORDS.search(line)]
    return found


def test_the_english_check_finds_english(tmp_path):
    patterns = english_patterns()
    assert english_on("Crea tu cooperativa", patterns) == []
    assert "Create your co-op" in english_on("Create your co-op", patterns)
    assert "There is no co-op at '%(slug)s'." in english_on("There is no co-op at 'x-y'.", patterns)
    assert english_on("Hola\nThe rota is full this week", patterns) == ["The rota is full this week"]


def test_signing_a_coop_up_in_spanish(browser, coopnet_server, mailbox, artifacts):
    context = browser.new_context(base_url=coopnet_server.url, locale="es-ES", viewport=PageChecks.VIEWPORTS["desktop"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    look = PageChecks(page, artifacts / "test_signing_a_coop_up_in_spanish")
    patterns = english_patterns()
    # Names the founder typed are theirs, not ours to translate.
    typed = ("Cooperativa Textil", "Ana Costura", "ana@textil.example", "textil", "coopnet")

    def in_spanish():
        look()
        assert page.locator("html").get_attribute("lang") == "es"
        text = page.title() + "\n" + page.inner_text("body")
        assert english_on(text, patterns, typed) == [], page.url

    page.goto("/")
    in_spanish()
    page.get_by_role("link", name="Registrarse", exact=True).click()
    in_spanish()
    page.get_by_label("Nombre de la cooperativa").fill("Cooperativa Textil")
    page.get_by_label("Dirección").fill("www")
    page.get_by_label("Tipo").select_option(label="Cooperativa de trabajo")
    page.get_by_label("Tu nombre").fill("Ana Costura")
    page.get_by_label("Tu correo").fill("ana@textil.example")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Crear la cooperativa").click()
    expect(page.get_by_role("alert")).to_contain_text("'www' está reservada; elige otra dirección.")
    in_spanish()

    page.get_by_label("Dirección").fill("textil")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Crear la cooperativa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revisa tu correo")
    in_spanish()

    mail = mailbox.wait_for("ana@textil.example", "Confirma tu dirección")
    assert english_on(mail["Subject"] + "\n" + mail.get_content(), patterns, typed) == []
    page.goto(mailbox.link("ana@textil.example", "Confirma tu dirección", "/signup/confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Crea tu cooperativa")
    in_spanish()

    page.get_by_role("button", name="Crear la cooperativa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cooperativa Textil")
    expect(page.get_by_text("Aquí eres administrador/a.")).to_be_visible()
    in_spanish()

    page.get_by_role("button", name="Cerrar sesión").click()
    in_spanish()
    look.every_page_looked_at()
    context.close()
