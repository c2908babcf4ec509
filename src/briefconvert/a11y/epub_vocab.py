"""Vocabularies the EPUB rules check against (data only).

* The schema.org accessibility properties and their values, as the W3C
  Accessibility Discoverability Vocabulary lists them (and Ace by DAISY
  accepts them, deprecated terms included).
* The ``dcterms:conformsTo`` values of EPUB Accessibility 1.0 and 1.1.
* The epub:type -> ARIA role mapping of the EPUB Accessibility Techniques
  (DPUB-ARIA 1.1 roles for the structural semantics that have one).
"""

from __future__ import annotations

REQUIRED = (
    "schema:accessMode",
    "schema:accessibilityFeature",
    "schema:accessibilityHazard",
    "schema:accessibilitySummary",
    "schema:accessModeSufficient",
)

_SENSES = ("auditory", "tactile", "textual", "visual")

ALLOWED: dict[str, frozenset[str]] = {
    "schema:accessMode": frozenset(
        (*_SENSES, "chartOnVisual", "chemOnVisual", "colorDependent", "diagramOnVisual", "mathOnVisual",
         "musicOnVisual", "textOnVisual")
    ),
    "schema:accessModeSufficient": frozenset(_SENSES),
    "schema:accessibilityFeature": frozenset(
        ("annotations", "ARIA", "bookmarks", "index", "printPageNumbers", "pageBreakMarkers",
         "pageNavigation", "readingOrder", "structuralNavigation", "tableOfContents", "taggedPDF",
         "alternativeText", "audioDescription", "captions", "closedCaptions", "describedMath",
         "longDescription", "openCaptions", "signLanguage", "transcript", "displayTransformability",
         "displayTransformability/font-size", "displayTransformability/font-family",
         "displayTransformability/line-height", "displayTransformability/word-spacing",
         "displayTransformability/letter-spacing", "displayTransformability/color",
         "displayTransformability/background-color", "synchronizedAudioText", "timingControl", "unlocked",
         "ChemML", "latex", "latex-chemistry", "MathML", "MathML-chemistry", "ttsMarkup",
         "highContrastAudio", "highContrastAudio/noBackground", "highContrastAudio/reducedBackground",
         "highContrastAudio/switchableBackground", "highContrastDisplay", "largePrint", "braille",
         "tactileGraphic", "tactileObject", "fullRubyAnnotations", "horizontalWriting", "rubyAnnotations",
         "verticalWriting", "withAdditionalWordSegmentation", "withoutAdditionalWordSegmentation", "none",
         "unknown")
    ),
    "schema:accessibilityHazard": frozenset(
        ("flashing", "motionSimulation", "sound", "none", "noFlashingHazard", "noMotionSimulationHazard",
         "noSoundHazard", "unknown", "unknownFlashingHazard", "unknownMotionSimultationHazard",
         "unknownMotionSimulationHazard", "unknownSoundHazard")
    ),
}  # fmt: skip

# Values that contradict each other in accessibilityHazard.
HAZARD_CONFLICTS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        ("flashing", "noFlashingHazard", "unknownFlashingHazard"),
        ("motionSimulation", "noMotionSimulationHazard", "unknownMotionSimultationHazard",
         "unknownMotionSimulationHazard"),
        ("sound", "noSoundHazard", "unknownSoundHazard"),
    )
)  # fmt: skip

CONFORMS_TO_PREFIXES = ("EPUB Accessibility 1.1", "http://www.idpf.org/epub/a11y/accessibility")
CONFORMS_TO: frozenset[str] = frozenset(
    [
        f"EPUB Accessibility 1.1 - WCAG {v} Level {lvl}"
        for v in ("2.0", "2.1", "2.2")
        for lvl in ("A", "AA", "AAA")
    ]
    + [f"http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-{lvl}" for lvl in ("a", "aa", "aaa")]
)

# epub:type -> the ARIA role that must accompany it (the role may be implicit:
# a <figure> is a figure).  Types without a role (frontmatter, bodymatter,
# footnotes, titlepage, landmarks ...) are not listed.
EPUB_TYPE_ROLES: dict[str, str] = {
    "abstract": "doc-abstract", "acknowledgments": "doc-acknowledgments", "afterword": "doc-afterword",
    "appendix": "doc-appendix", "biblioentry": "doc-biblioentry", "bibliography": "doc-bibliography",
    "biblioref": "doc-biblioref", "chapter": "doc-chapter", "colophon": "doc-colophon",
    "conclusion": "doc-conclusion", "credit": "doc-credit", "credits": "doc-credits",
    "dedication": "doc-dedication", "endnote": "doc-endnote", "endnotes": "doc-endnotes",
    "epigraph": "doc-epigraph", "epilogue": "doc-epilogue", "errata": "doc-errata", "figure": "figure",
    "footnote": "doc-footnote", "foreword": "doc-foreword", "glossary": "doc-glossary",
    "glossdef": "definition", "glossref": "doc-glossref", "glossterm": "term", "help": "doc-tip",
    "index": "doc-index", "introduction": "doc-introduction", "list": "list", "list-item": "listitem",
    "noteref": "doc-noteref", "notice": "doc-notice", "page-list": "doc-pagelist",
    "pagebreak": "doc-pagebreak", "part": "doc-part", "preface": "doc-preface", "prologue": "doc-prologue",
    "pullquote": "doc-pullquote", "qna": "doc-qna", "referrer": "doc-backlink", "subtitle": "doc-subtitle",
    "table": "table", "table-cell": "cell", "table-row": "row", "tip": "doc-tip", "toc": "doc-toc",
}  # fmt: skip
# Deprecated DPUB-ARIA roles: their epub:type needs no role.
DEPRECATED_ROLES = frozenset({"doc-biblioentry", "doc-endnote"})

# Implicit ARIA roles of the elements that the mapping's core roles belong to.
IMPLICIT_ROLES: dict[str, str] = {
    "figure": "figure", "dd": "definition", "dfn": "term", "dt": "term", "ul": "list", "ol": "list",
    "menu": "list", "li": "listitem", "table": "table", "td": "cell", "tr": "row", "nav": "navigation",
    "aside": "complementary", "main": "main", "article": "article", "img": "img",
}  # fmt: skip
