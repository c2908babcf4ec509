"""Chrome removal on realistic pages (fixtures/html/page-*.html): the exact
heading sequence, the metadata, body text kept and web chrome gone."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from briefconvert.diagnostics import Report
from briefconvert.model import Aside, Document, Endnotes, Heading, Note
from briefconvert.options import HtmlReaderOptions
from briefconvert.readers.html import read_html
from briefconvert.walk import plain_text, query
from conftest import FIXTURES

HTML = FIXTURES / "html"


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    lang: str
    authors: tuple[str, ...]
    date: str | None
    headings: list[tuple[int, str]]
    present: tuple[str, ...]
    absent: tuple[str, ...]


PAGES = [
    Page(
        "page-thinktank-cms",
        "Rethinking EU Industrial Policy",
        "en",
        ("Helena Vogt", "Rui Costa"),
        "2024-05-14",
        [
            (2, "Key findings"),
            (2, "The return of industrial policy"),
            (2, "What the EU has done so far"),
            (3, "State aid"),
            (3, "Common funding"),
            (2, "Recommendations"),
        ],
        (
            "After decades of scepticism, industrial policy is back",
            "State aid approvals doubled after 2020.",
            "pair looser state aid rules with common funding",
        ),
        (
            "cookies",
            "Research areas",
            "About us",
            "Publications",
            "Share",
            "LinkedIn",
            "Print",
            "Download the full text",
            "Related publications",
            "State aid in the energy crisis",
            "Subscribe to our newsletter",
            "Sign up",
            "Contact",
            "Follow us",
            "Policy Brief",
            "Helena Vogt is a senior fellow",
            "Topics",
            "14 May 2024",
            "By Helena",
        ),
    ),
    Page(
        "page-wordpress",
        "Wasserstoff für die Industrie: Was jetzt zu tun ist",
        "de-DE",
        ("Katrin Schulze",),
        "2023-09-21",
        [(2, "Ausgangslage"), (3, "Infrastruktur"), (2, "Empfehlungen")],
        (
            "Grüner Wasserstoff gilt als Schlüssel",
            "rund 9.700 Kilometer Leitungen",
            "Importpartnerschaften verbindlich machen.",
        ),
        (
            "Zum Inhalt springen",
            "Themen",
            "Teilen mit",
            "Twitter",
            "Veröffentlicht",
            "Energie",
            "Vorheriger Beitrag",
            "Gedanken zu",
            "Sehr guter Beitrag",
            "blauem Wasserstoff",
            "Schreibe einen Kommentar",
            "Neueste Beiträge",
            "Schlagwörter",
            "Impressum",
            "21. September",
        ),
    ),
    Page(
        "page-modern",
        "La défense européenne après 2024",
        "fr",
        ("Claire Martin",),
        "2024-11-05",
        [(2, "Contexte"), (2, "Capacités"), (3, "Munitions"), (2, "Conclusion")],
        (
            "La guerre en Ukraine a remis la défense",
            "moins d’un cinquième des acquisitions",
            "restera une addition de politiques nationales",
        ),
        (
            "Sur cette page",
            "Analyses",
            "Menu",
            "Maintenance",
            "Analyse",
            "Entre guerre",
            "Partager",
            "Chercheuse associée",
            "À lire aussi",
            "L’OTAN à 75 ans",
            "Restez informé",
            "Nous suivre",
            "5 novembre",
        ),
    ),
    Page(
        "page-1252-content-language",
        "La sequía en la Península",
        "es",
        ("Lucía Fernández", "Jordi Puig"),
        "2023-03-03",
        [(2, "Introducción"), (2, "Propuestas")],
        (
            "España y Portugal atraviesan la peor sequía en décadas.",
            "la gestión del Tajo",
            "— “más vale prevenir que curar”.",
        ),
        (
            "Informes",
            "Contacto",
            "Inicio",
            "Compartir",
            "Imprimir",
            "Madrid · Lisboa",
            "Por Lucía",
            "3 de marzo",
        ),
    ),
    Page(
        "page-og-locale",
        "Il Mediterraneo e la migrazione",
        "it-IT",
        ("Giulia Romano",),
        "2022-06-30",
        [(2, "Le politiche dell’Unione"), (2, "Conclusioni")],
        ("oltre 120.000 persone", "È perciò necessario un approccio comune."),
        ("Ricerca", "Home", "Istituto per gli Studi", "30 giugno", "di Giulia"),
    ),
    Page(
        "page-masthead",
        "Transformacja energetyczna Polski",
        "pl",
        ("Anna Nowak", "Piotr Wiśniewski"),
        "2024-02-12",
        [
            (2, "Najważniejsze wnioski"),
            (2, "Wstęp"),
            (2, "Energetyka jądrowa"),
            (3, "Pierwsza elektrownia"),
            (2, "Przypisy"),
        ],
        ("Polska pozostaje najbardziej uzależnionym", "Morska energetyka wiatrowa ruszy w 2026 r."),
        ("Ośrodek Analiz Europejskich", "Komentarz nr 41", "Węgiel, atom", "Autorzy", "12 lutego", "↩"),
    ),
    Page(
        "page-drupal-article",
        "L'Italia e il PNRR",
        "it",
        ("Marco Ferri",),
        "2023-04-18",
        [(2, "I ritardi"), (2, "Le riforme")],
        ("In sintesi", "Speso solo un terzo", "vale quasi 200 miliardi", "giustizia civile"),
        ("Pubblicazioni", "Il debito pubblico", "Fondi di coesione", "Contatti", "Via Roma"),
    ),
    Page(
        "page-news",
        "Carbon border tax: a first assessment",
        "en-GB",
        ("Sarah O'Brien",),
        "2025-01-20",
        [(2, "Reporting burden"), (2, "Trade partners")],
        ("entered its transitional phase in October 2023", "threatened a complaint at the WTO"),
        (
            "Podcast",
            "Print",
            "Email",
            "Download the full report",
            "ETS2 explained",
            "Methane rules",
            "Most read",
            "Farm subsidies",
            "Terms",
            "Policy Review Ltd",
            "#",
            "Published",
        ),
    ),
    Page(
        "page-report-sections",
        "Digitale Souveränität",
        "de",
        ("Lena Hoffmann", "Jonas Weber"),
        "2024-07-01",
        [(2, "Cloud-Infrastruktur"), (2, "Halbleiter"), (2, "Anmerkungen")],
        ("weniger als 15 Prozent", "Tabelle 1: Marktanteile 2023", "Microsoft", "Chips Act"),
        ("Zum Inhalt", "Themen", "Auf dieser Seite", "PDF herunterladen", "Kontakt", "Berlin"),
    ),
]


def _read(name: str) -> tuple[Document, Report]:
    report = Report()
    data = (HTML / f"{name}.html").read_bytes()
    return read_html(data, base=HTML, options=HtmlReaderOptions(), report=report), report


@pytest.fixture(params=PAGES, ids=lambda p: p.name)
def page(request: pytest.FixtureRequest) -> tuple[Page, Document, Report]:
    expected: Page = request.param
    doc, report = _read(expected.name)
    return expected, doc, report


def test_heading_sequence(page: tuple[Page, Document, Report]) -> None:
    expected, doc, _ = page
    assert [(h.level, plain_text(h.content)) for h in query(doc, Heading)] == expected.headings


def test_metadata(page: tuple[Page, Document, Report]) -> None:
    expected, doc, _ = page
    meta = doc.meta
    assert (meta.title, meta.lang, meta.authors, meta.date) == (
        expected.title,
        expected.lang,
        expected.authors,
        expected.date,
    )


def test_body_kept_and_chrome_removed(page: tuple[Page, Document, Report]) -> None:
    expected, doc, _ = page
    text = plain_text(list(doc.blocks))
    for snippet in expected.present:
        assert snippet in text
    for snippet in expected.absent:
        assert snippet not in text, f"chrome left in the text: {snippet!r}"
    assert expected.title not in text  # the title is metadata, not a paragraph or heading


def test_masthead_subtitle_and_notes() -> None:
    doc, _ = _read("page-masthead")
    assert doc.meta.subtitle == "Węgiel, atom i wiatr na Bałtyku"
    assert [plain_text(list(n.blocks)) for n in query(doc, Note)] == ["Dane Agencji Rynku Energii za 2023 r."]
    assert isinstance(doc.blocks[-1], Endnotes)
    assert isinstance(doc.blocks[0], Aside) and doc.blocks[0].kind == "summary"


def test_undeclared_windows_1252_is_decoded() -> None:
    _, report = _read("page-1252-content-language")
    assert "encoding-fallback" in [d.code for d in report.diagnostics]
    assert "encoding-errors" not in [d.code for d in report.diagnostics]


def test_main_content_can_be_switched_off() -> None:
    data = (HTML / "page-thinktank-cms.html").read_bytes()
    doc = read_html(data, base=HTML, options=HtmlReaderOptions(main_content=False), report=Report())
    text = plain_text(list(doc.blocks))
    assert "Related publications" in text and "After decades of scepticism" in text
