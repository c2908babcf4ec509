"""Browser-like white space for inline content: runs collapse to one space,
no space at the start or end of a block or around a line break.  Text nodes
arrive with their own runs already collapsed (see ``inlines.text``).

``keep_links`` (HtmlReaderOptions.keep_faults): a link without content is
kept, and counts as visible, so that ``briefconvert check`` sees it."""

from __future__ import annotations

from dataclasses import dataclass

from ...model import Code, Emph, Image, Inline, LineBreak, Link, Note, Span, Strong, Sub, Sup, Text


@dataclass(slots=True)
class _State:
    space: bool = True  # the last visible character was a space (or the block start)


def _rstrip(items: list[Inline], keep_links: bool = False) -> list[Inline]:
    """Remove trailing spaces from the end of ``items`` (descending into the last container)."""
    while items:
        last = items[-1]
        match last:
            case Text(text=t):
                t = t.rstrip(" ")
                if t:
                    items[-1] = Text(t)
                    return items
                items.pop()
            case Emph(content=c) | Strong(content=c) | Sub(content=c) | Sup(content=c):
                inner = _rstrip(list(c), keep_links)
                if inner:
                    items[-1] = type(last)(tuple(inner))
                    return items
                items.pop()
            case Link(content=c, url=url, title=title):
                inner = _rstrip(list(c), keep_links)
                if inner:
                    items[-1] = Link(tuple(inner), url, title)
                    return items
                if keep_links:
                    return [*_rstrip(items[:-1], keep_links), Link((), url, title)]
                items.pop()
            case Span(content=c, attr=a):
                inner = _rstrip(list(c), keep_links)
                if inner:
                    items[-1] = Span(tuple(inner), a)
                    return items
                if a.id:  # an empty anchor: keep it, strip what precedes it
                    return [*_rstrip(items[:-1], keep_links), Span((), a)]
                items.pop()
            case Note():
                rest = _rstrip(items[:-1], keep_links)
                return [*rest, last]
            case _:
                return items
    return items


def _merge(items: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for it in items:
        if isinstance(it, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + it.text)
        else:
            out.append(it)
    return out


def _collapse(
    items: list[Inline] | tuple[Inline, ...], state: _State, keep_links: bool = False
) -> list[Inline]:
    out: list[Inline] = []
    for it in items:
        match it:
            case Text(text=t):
                if state.space and t.startswith(" "):
                    t = t[1:]
                if t:
                    out.append(Text(t))
                    state.space = t.endswith(" ")
            case LineBreak():
                out = _rstrip(out, keep_links)
                out.append(it)
                state.space = True
            case Code(text=t):
                if state.space and t.startswith(" "):
                    t = t[1:]
                if t:
                    out.append(Code(t))
                    state.space = t.endswith(" ")
            case Emph(content=c) | Strong(content=c) | Sub(content=c) | Sup(content=c):
                inner = _merge(_collapse(c, state, keep_links))
                if inner:
                    out.append(type(it)(tuple(inner)))
            case Link(content=c, url=url, title=title):
                inner = _merge(_collapse(c, state, keep_links))
                if inner or keep_links:
                    out.append(Link(tuple(inner), url, title))
            case Span(content=c, attr=a):
                inner = _merge(_collapse(c, state, keep_links))
                if inner or a.id:
                    out.append(Span(tuple(inner), a))
            case Image():
                out.append(it)
                state.space = False
            case Note():
                out.append(it)
    return out


def finish(items: list[Inline], keep_links: bool = False) -> tuple[Inline, ...]:
    """Collapse white space across ``items`` and trim the ends."""
    if len(items) == 1 and type(items[0]) is Text:  # most paragraphs and cells: the same, in short
        text = items[0].text
        text = (text[1:] if text[:1] == " " else text).rstrip(" ")
        return (Text(text),) if text else ()
    out = _merge(_collapse(items, _State(), keep_links))
    out = _rstrip(out, keep_links)
    while out and isinstance(out[0], LineBreak):
        out.pop(0)
    while out and isinstance(out[-1], LineBreak):
        out.pop()
        out = _rstrip(out, keep_links)
    return tuple(_merge(out))


def visible(items: tuple[Inline, ...], keep_links: bool = False) -> bool:
    """Whether inline content shows anything (text, an image, a note; any
    link when ``keep_links``)."""
    stack: list[Inline] = list(items)
    while stack:
        it = stack.pop()
        match it:
            case Text(text=t) | Code(text=t):
                if t.strip():
                    return True
            case Image() | Note():
                return True
            case Link() if keep_links:
                return True
            case Emph(content=c) | Strong(content=c) | Sub(content=c) | Sup(content=c) | Link(content=c):
                stack.extend(c)
            case Span(content=c):
                stack.extend(c)
            case LineBreak():
                pass
    return False


def split_paragraphs(items: tuple[Inline, ...], keep_links: bool = False) -> list[tuple[Inline, ...]]:
    """Split top-level content at two or more consecutive line breaks (the
    ``text<br><br>text`` idiom of div soup)."""
    parts: list[list[Inline]] = [[]]
    breaks = 0
    for it in items:
        if isinstance(it, LineBreak):
            breaks += 1
            continue
        if breaks >= 2:
            parts.append([])
        elif breaks == 1:
            parts[-1].append(LineBreak())
        breaks = 0
        parts[-1].append(it)
    return [finish(p, keep_links) for p in parts if p]
