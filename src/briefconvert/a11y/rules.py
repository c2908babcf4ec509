"""The rule table: every accessibility rule ``briefconvert check`` knows, with
its stable id, default severity, summary, the standard it comes from and help
text.  Data only (no checking code), so listing and explaining rules is fast.

Semantic rules (``kind="model"``) run on the document model and so serve every
format; format rules (``kind="format"``) run on the file itself, for what the
model cannot see.  docs/rules.md is generated from this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..diagnostics import Severity
from ..record import Record

Format = Literal["html", "epub", "docx", "pdf"]
ALL_FORMATS: frozenset[Format] = frozenset(("html", "epub", "docx", "pdf"))


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class Rule(Record):
    id: str  # stable kebab-case id
    severity: Severity  # default severity
    summary: str  # one line, shown in listings
    standard: str  # where the requirement comes from
    help: str  # what the fault is and how to fix it (shown by --explain)
    kind: Literal["model", "format"] = "model"
    formats: frozenset[Format] = field(default=ALL_FORMATS)


E, W = Severity.ERROR, Severity.WARNING


def _f(*names: Format) -> frozenset[Format]:
    return frozenset(names)


RULES: tuple[Rule, ...] = (
    # ------------------------------------------------------------ every format
    Rule(
        "document-title",
        E,
        "The document has no title",
        "WCAG 2.2 SC 2.4.2 Page Titled",
        "A document needs a title in its metadata (HTML <title>, EPUB dc:title, DOCX core property "
        "'title', PDF /Title): assistive technology announces it first and reading systems list it.",
    ),
    Rule(
        "document-lang",
        E,
        "The document language is missing or not a valid language tag",
        "WCAG 2.2 SC 3.1.1 Language of Page",
        "Declare the main language as a BCP 47 tag (en, fr-CA): HTML <html lang>, EPUB dc:language, "
        "DOCX w:lang of the default style, PDF /Lang in the catalogue. Screen readers pick their voice "
        "and pronunciation rules from it.",
    ),
    Rule(
        "lang-part",
        W,
        "A passage in another language is not marked, or is marked with an invalid tag",
        "WCAG 2.2 SC 3.1.2 Language of Parts",
        "Mark passages in a language other than the document's (lang/xml:lang on the element) with a "
        "valid BCP 47 tag. Text in another script than the document language's (Greek, Cyrillic, Arabic "
        "... in an English text) without a language mark is reported.",
    ),
    Rule(
        "heading-h1",
        W,
        "The document does not have exactly one top-level heading",
        "WCAG 2.2 SC 1.3.1 Info and Relationships; SC 2.4.6 Headings and Labels",
        "Give the document a first-level heading (its title). A web page should have exactly one; in "
        "EPUB, DOCX and PDF, where each chapter may open with its own, only a document without any is "
        "reported.",
    ),
    Rule(
        "heading-order",
        W,
        "A heading level is skipped",
        "WCAG 2.2 SC 1.3.1 Info and Relationships",
        "Heading levels should go down one step at a time (h2 then h3, not h2 then h4), so that the "
        "outline assistive technology builds matches the document's structure.",
    ),
    Rule(
        "heading-empty",
        E,
        "A heading has no text",
        "WCAG 2.2 SC 2.4.6 Headings and Labels",
        "An empty heading is announced as a heading with no name. Remove it or give it text.",
    ),
    Rule(
        "image-alt",
        E,
        "An image has no text alternative",
        "WCAG 2.2 SC 1.1.1 Non-text Content",
        "Every informative image needs a text alternative (HTML alt, EPUB alt, DOCX description, PDF "
        "/Alt on the Figure tag). Mark purely decorative images as such (alt=\"\", Word's 'Mark as "
        "decorative', a PDF artifact). `briefconvert alt-text FILE` lists images for editors to describe.",
    ),
    Rule(
        "image-alt-suspicious",
        W,
        "An image's text alternative is a file name, a URL or a placeholder",
        "WCAG 2.2 SC 1.1.1 Non-text Content",
        "Alt text such as 'IMG_0042.jpg', 'https://…', 'image', 'picture', 'Bild', 'photo', 'graphique' "
        "tells the reader nothing. Describe what the image shows or means.",
    ),
    Rule(
        "image-alt-caption",
        W,
        "An image's text alternative repeats its caption",
        "WCAG 2.2 SC 1.1.1 Non-text Content (technique H2, F30)",
        "When the alt text is the same as the visible caption, screen-reader users hear it twice. Make "
        "the alt text describe the image and let the caption carry the title. An image named by its "
        "caption (aria-labelledby), as briefconvert writes an image whose source had no alt text, is "
        "reported too: give it alt text (briefconvert alt-text) and convert again.",
    ),
    Rule(
        "link-name",
        E,
        "A link has no text",
        "WCAG 2.2 SC 2.4.4 Link Purpose (In Context); SC 4.1.2 Name, Role, Value",
        "A link must have text (or an image with alt text inside it); otherwise it is announced as "
        "'link' with no purpose.",
    ),
    Rule(
        "link-text-generic",
        W,
        "A link's text does not say where it goes",
        "WCAG 2.2 SC 2.4.4 Link Purpose (In Context)",
        "Link text like 'click here', 'read more', 'more', 'hier klicken', 'mehr', 'cliquez ici', 'en "
        "savoir plus' or a bare URL is meaningless in a list of links. Reported when the link stands "
        "without a sentence that explains it, and for 'click here' wherever it stands. Name the "
        "destination instead.",
    ),
    Rule(
        "link-text-vague",
        Severity.INFO,
        "A link's text names no destination; only its sentence explains it",
        "WCAG 2.2 SC 2.4.9 Link Purpose (Link Only) (AAA)",
        "'can be found <a>here</a>' meets SC 2.4.4, because the sentence gives the link its purpose, "
        "but a screen-reader user who lists or tabs through the links hears only 'here'. Put the "
        "destination into the link text ('the <a>survey questionnaire</a>').",
    ),
    Rule(
        "table-header",
        E,
        "A data table has no header cells",
        "WCAG 2.2 SC 1.3.1 Info and Relationships",
        "Mark the header row or column of a data table (HTML <th>, DOCX 'Repeat as header row', PDF TH "
        "tags), so that each cell can be announced with its header.",
    ),
    Rule(
        "list-fake",
        W,
        "Paragraphs that start with bullets or numbers stand in for a list",
        "WCAG 2.2 SC 1.3.1 Info and Relationships",
        "Consecutive paragraphs starting with '•', '-', '1.', 'a)' … look like a list but are not one: "
        "assistive technology cannot announce the number of items. Use a real list.",
    ),
    Rule(
        "note-ref-link",
        W,
        "A note reference does not link to its note",
        "WCAG 2.2 SC 1.3.1 Info and Relationships; SC 2.4.4 Link Purpose; DPUB-ARIA doc-noteref",
        "A footnote or endnote marker (a superscript number) should be a link to the note, and an "
        "in-document link must point to an existing target.",
    ),
    # -------------------------------------------------------------------- HTML
    Rule(
        "html-main-landmark",
        W,
        "The page has no main landmark, or more than one",
        "WCAG 2.2 SC 1.3.1 Info and Relationships; SC 2.4.1 Bypass Blocks",
        "Wrap the page's main content in one <main> (or role=main) so that users can jump to it. "
        "Not checked in EPUB content documents, where a chapter needs no main landmark.",
        "format",
        _f("html"),
    ),
    Rule(
        "html-duplicate-id",
        E,
        "Two elements share an id",
        "WCAG 2.2 SC 4.1.2 Name, Role, Value",
        "Ids must be unique: links, labels and ARIA references to a duplicated id reach the wrong element.",
        "format",
        _f("html", "epub"),
    ),
    Rule(
        "html-list-structure",
        E,
        "A list contains something other than list items",
        "WCAG 2.2 SC 1.3.1 Info and Relationships",
        "<ul> and <ol> may only contain <li> (and script/template); <li> must be inside a list.",
        "format",
        _f("html", "epub"),
    ),
    Rule(
        "html-meta-viewport",
        E,
        "The page disables zooming",
        "WCAG 2.2 SC 1.4.4 Resize Text",
        "A viewport meta with user-scalable=no or maximum-scale below 2 stops users from enlarging text.",
        "format",
        _f("html", "epub"),
    ),
    Rule(
        "html-frame-title",
        E,
        "A frame or iframe has no title",
        "WCAG 2.2 SC 4.1.2 Name, Role, Value",
        "Give every <iframe>/<frame> a title attribute that says what it contains.",
        "format",
        _f("html", "epub"),
    ),
    Rule(
        "html-form-label",
        E,
        "A form field has no label",
        "WCAG 2.2 SC 1.3.1 Info and Relationships; SC 4.1.2 Name, Role, Value",
        "Every input, select and textarea needs a <label>, aria-label or aria-labelledby.",
        "format",
        _f("html", "epub"),
    ),
    Rule(
        "html-button-name",
        E,
        "A button has no accessible name",
        "WCAG 2.2 SC 4.1.2 Name, Role, Value",
        "A <button> (or role=button) needs text, an aria-label or an image with alt text.",
        "format",
        _f("html", "epub"),
    ),
    # -------------------------------------------------------------------- EPUB
    Rule(
        "epub-package-lang",
        E,
        "The EPUB package declares no language",
        "EPUB 3.3 (package metadata); EPUB Accessibility 1.1 §3",
        "The OPF needs dc:language (and xml:lang on <package>) with a valid BCP 47 tag.",
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-a11y-metadata",
        E,
        "Accessibility metadata is missing from the EPUB package",
        "EPUB Accessibility 1.1 §2 (discoverability)",
        "Declare schema:accessMode, schema:accessModeSufficient, schema:accessibilityFeature, "
        "schema:accessibilityHazard and schema:accessibilitySummary in the OPF.",
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-a11y-metadata-value",
        E,
        "An accessibility metadata value is not in its vocabulary",
        "EPUB Accessibility 1.1 §2; schema.org accessibility vocabularies",
        "accessMode, accessModeSufficient, accessibilityFeature and accessibilityHazard take values "
        "from fixed vocabularies (e.g. textual, visual; alternativeText, tableOfContents; none).",
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-a11y-metadata-consistency",
        E,
        "Accessibility metadata contradicts the content",
        "EPUB Accessibility 1.1 §2",
        "Claims must be true: alternativeText while images lack alt, printPageNumbers or "
        "pageNavigation without a page list, no 'visual' access mode while the book has images, a "
        "page list without pageBreakSource.",
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-nav-toc",
        E,
        "The navigation document has no usable table of contents",
        "EPUB 3.3 (navigation document); EPUB Accessibility 1.1 §4",
        'The nav document needs a <nav epub:type="toc"> with an entry for each section.',
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-page-list",
        E,
        "The page list and the page breaks do not match",
        "EPUB Accessibility 1.1 §4 (page navigation); DPUB-ARIA doc-pagebreak",
        "Every page-list entry must point to an existing page-break marker, every marker needs a label, "
        "and a book with page-break markers should have a page list.",
        "format",
        _f("epub"),
    ),
    Rule(
        "epub-type-role",
        W,
        "An epub:type has no matching ARIA role",
        "DPUB-ARIA 1.1; EPUB Accessibility Techniques",
        "Pair semantic epub:type values with their DPUB-ARIA roles (footnote/doc-footnote, "
        "noteref/doc-noteref, pagebreak/doc-pagebreak, toc/doc-toc ...), which assistive technology reads.",
        "format",
        _f("epub"),
    ),
    # -------------------------------------------------------------------- DOCX
    Rule(
        "docx-heading-styles",
        W,
        "The document uses no heading styles",
        "WCAG 2.2 SC 1.3.1; Word Accessibility Checker ('Missing headings')",
        "Use the built-in Heading 1-6 styles for headings: formatting alone does not make a heading "
        "for the navigation pane, screen readers or conversion to other formats.",
        "format",
        _f("docx"),
    ),
    Rule(
        "docx-fake-heading",
        W,
        "A short bold or enlarged paragraph stands in for a heading",
        "WCAG 2.2 SC 1.3.1; Word Accessibility Checker",
        "A one-line paragraph set in bold or a larger font is a visual heading only. Apply a Heading style.",
        "format",
        _f("docx"),
    ),
    Rule(
        "docx-decorative",
        W,
        "An image is marked decorative but also has a description",
        "Word Accessibility Checker; WCAG 2.2 SC 1.1.1",
        "An image is either decorative (no description) or informative (a description); both at once "
        "is contradictory and readers differ in what they do.",
        "format",
        _f("docx"),
    ),
    Rule(
        "docx-floating-image",
        W,
        "An image or shape floats instead of being in line with text",
        "Word Accessibility Checker ('Object not inline'); WCAG 2.2 SC 1.3.2 Meaningful Sequence",
        "Floating objects have no place in the reading order. Set wrapping to 'In Line with Text'.",
        "format",
        _f("docx"),
    ),
    Rule(
        "docx-layout-spacing",
        W,
        "Blank paragraphs or repeated spaces are used for layout",
        "Word Accessibility Checker ('Repeated blank characters')",
        "Screen readers announce every empty paragraph as 'blank'. Use paragraph spacing and "
        "indentation instead of empty paragraphs, runs of spaces or tabs.",
        "format",
        _f("docx"),
    ),
    # --------------------------------------------------------------------- PDF
    Rule(
        "pdf-tagged",
        E,
        "The PDF is not tagged",
        "PDF/UA-1 (ISO 14289-1) 7.1; WCAG 2.2 SC 1.3.1 (technique PDF9)",
        "An untagged PDF has no structure for assistive technology: no headings, lists, tables or alt "
        "text. Export with tags (Word: 'Document structure tags for accessibility').",
        "format",
        _f("pdf"),
    ),
    Rule(
        "pdf-display-doc-title",
        W,
        "The PDF does not show its title in the window title",
        "PDF/UA-1 7.1; WCAG 2.2 SC 2.4.2 (technique PDF18)",
        "Set /DisplayDocTitle true in the viewer preferences, so that readers show the title, not the "
        "file name.",
        "format",
        _f("pdf"),
    ),
    Rule(
        "pdf-content-untagged",
        W,
        "Page content is neither tagged nor marked as an artifact",
        "PDF/UA-1 7.1",
        "All real content must belong to the structure tree, and headers, footers and decoration must "
        "be marked as artifacts.",
        "format",
        _f("pdf"),
    ),
)

RULES_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
