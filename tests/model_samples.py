"""Hand-built documents that exercise every node type (writer goldens and
round trips use them)."""

from __future__ import annotations

from briefconvert.model import (
    Aside,
    Attr,
    BlockQuote,
    BulletList,
    Cell,
    Code,
    CodeBlock,
    DefinitionItem,
    DefinitionList,
    Div,
    Document,
    Emph,
    Endnotes,
    Figure,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    Meta,
    Note,
    OrderedList,
    PageBreak,
    Paragraph,
    Resource,
    Row,
    Span,
    Strong,
    Sub,
    Sup,
    Table,
    Text,
    ThematicBreak,
)
from briefconvert.resources import resource_key

# A valid 2x1 PNG (red, blue), small enough to keep in source.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd"
    "0000000f49444154789c633c2127c7c0c0000005cc0106458859d40000000049454e44ae426082"
)
PNG_KEY = resource_key(PNG, "image/png")


def T(s: str) -> Text:
    return Text(s)


def P(*inl: object) -> Paragraph:
    return Paragraph(tuple(Text(i) if isinstance(i, str) else i for i in inl))  # type: ignore[misc]


def rich_document() -> Document:
    """Every block and inline type at least once, with realistic brief content."""
    meta = Meta(
        title="Grid Flexibility and the Energy Union",
        subtitle="How demand response can lower bills",
        lang="en-GB",
        authors=("Maria Keller", "Tomás Ferreira"),
        date="2025-03-14",
        publisher="Centre for European Energy Studies",
        description="A brief on demand response in EU electricity markets.",
        keywords=("energy", "demand response"),
    )
    table = Table(
        head=(Row((Cell((P("Country"),), header=True, scope="col"),
                   Cell((P("Flexible capacity (GW)"),), header=True, scope="col"))),),
        bodies=((
            Row((Cell((P("Germany"),), header=True, scope="row"), Cell((P("12.4"),)))),
            Row((Cell((P("France"),), header=True, scope="row"), Cell((P("8.1"),)))),
            Row((Cell((P("Spain"),), header=True, scope="row"), Cell((P("n/a"),), colspan=1))),
        ),),
        foot=(Row((Cell((P("Total"),), header=True, scope="row"), Cell((P("20.5"),)))),),
        caption=(T("Table 1: Flexible capacity, 2024"),),
    )  # fmt: skip
    blocks = (
        Aside(
            (
                Heading(2, (T("Key findings"),)),
                BulletList(
                    (
                        ListItem((P("Demand response could cut peak prices by ", Strong((T("12%"),)), "."),)),
                        ListItem((P("Only ", Emph((T("three"),)), " member states have full rules."),)),
                    )
                ),
            ),
            kind="summary",
        ),
        Heading(2, (T("Introduction"),), Attr(id="intro")),
        P(
            "Electricity systems need flexibility",
            Note((P("See the Commission's 2023 market design reform."),)),
            ". The term ",
            Code("DSR"),
            " means demand-side response; CO",
            Sub((T("2"),)),
            " falls and 10",
            Sup((T("3"),)),
            " households take part.",
        ),
        P(
            "Read the ",
            Link((T("full report"),), "https://example.org/report.pdf", title="PDF, 2 MB"),
            " or ",
            Link((T("jump to the table"),), "#t1"),
            ".",
            LineBreak(),
            Span((T("Auf Deutsch: Netzflexibilität"),), Attr(lang="de")),
        ),
        Heading(3, (T("Three steps"),)),
        Paragraph((PageBreak("12"), T("The print edition's page 12 begins here."))),
        OrderedList(
            (
                ListItem((P("Open markets to aggregators."),)),
                ListItem(
                    (
                        P("Reward flexibility:"),
                        BulletList(
                            (ListItem((P("in capacity markets"),)), ListItem((P("in network tariffs"),)))
                        ),
                    )
                ),
                ListItem((P("Measure results."),)),
            ),
            start=3,
        ),
        OrderedList((ListItem((P("first"),)), ListItem((P("second"),))), style="a"),
        DefinitionList(
            (
                DefinitionItem((T("Aggregator"),), ((P("A firm that pools small loads."),),)),
                DefinitionItem(
                    (T("TSO"),), ((P("Transmission system operator."),), (P("Also: grid operator."),))
                ),
            )
        ),
        Figure(
            (Paragraph((Image(PNG_KEY, "Bar chart: Germany 12.4 GW, France 8.1 GW."),)),),
            caption=(T("Figure 1: Flexible capacity by country."),),
        ),
        Figure((Paragraph((Image(PNG_KEY, ""),)),), caption=(T("Figure 2: A decorative rule."),)),
        P(
            "An image with unknown alt: ",
            Image(None, None),
            " and one whose file was missing: ",
            Image(None, "Map of Europe"),
        ),
        Div((table,), Attr(id="t1")),
        BlockQuote(
            (P("Flexibility is the cheapest power plant we have."),),
            attribution=(T("— Grid operator, interview, 2024"),),
        ),
        CodeBlock("price = base * (1 - flex)\n", language="python"),
        ThematicBreak(),
        Div((P("Ce paragraphe est en français.", Note((P("Note en français."),))),), Attr(lang="fr")),
        Heading(2, (T("Notes"),)),
        Endnotes(),
        Heading(2, (T("Bibliographic data"),)),
        P("Keller, M. and Ferreira, T. (2025). Grid Flexibility. CEES Brief 4."),
    )
    return Document(meta, blocks, {PNG_KEY: Resource(PNG_KEY, "image/png", PNG, 2, 1, origin="fig.png")})


def minimal_document() -> Document:
    """No metadata, no notes: writers must still produce valid output."""
    return Document(blocks=(P("Just one paragraph."),))
