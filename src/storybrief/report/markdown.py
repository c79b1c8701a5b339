"""``briefs.md``: a brief for people to read, every statement followed by the articles it comes from.

Article text is escaped (``<``, ``>``, ``&``, and Markdown's own marks at the
start of a line) so that a rendered brief shows it as text, never as markup.
"""

from __future__ import annotations

import html
import re

from ..model import Article, Brief, StoryBrief

_LINE_START = re.compile(r"^([#>*+\-|]|\d+\.)", re.MULTILINE)


def escape(text: str) -> str:
    """Text as literal Markdown: HTML escaped, Markdown emphasis and link marks backslashed."""
    out = html.escape(text, quote=False)
    out = re.sub(r"([\\`*_\[\]])", r"\\\1", out)
    return _LINE_START.sub(r"\\\1", out)


def cell(text: str) -> str:
    """Text for a Markdown table cell: escaped, with its pipes and line breaks neutralised."""
    return escape(text).replace("|", "\\|").replace("\n", " ")


def cite_numbers(text: str, number: dict[str, int]) -> str:
    """``text`` with article ids replaced by their source numbers (``[2]``)."""
    for article, n in sorted(number.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(article, f"[{n}]")
    return text


def _who(article: Article) -> str:
    bits = [article.outlet or "", article.published.isoformat() if article.published else "undated"]
    return ", ".join(b for b in bits if b)


def _story(item: StoryBrief, articles: dict[str, Article]) -> list[str]:
    story = item.story
    dates = f"{story.first or '?'} – {story.last or '?'}" if story.first != story.last else f"{story.first or '?'}"
    lines = [f"## {escape(story.label)}", "", f"*{len(story.articles)} articles · {dates} · {story.id}*", ""]
    number = {a: i + 1 for i, a in enumerate(story.articles)}
    lines += ["### Summary", ""]
    for s in item.summary:
        refs = ", ".join(f"[{number[a]}]" for a in s.citations)
        lines.append(f"- {escape(s.text)} {refs}")
        if s.note:
            lines.append(f"  - *{escape(cite_numbers(s.note, number))}*")
    if not item.summary:
        lines.append("*No sentence could be selected.*")
    # A figure one sentence gives is in the text; the table is for cross-checks.
    checked = [f for f in item.facts if not (f.kind == "quantity" and len(f.reports) < 2 and f.sources < 2)]
    if checked:
        lines += ["", "### Facts", "", "| fact | best | verdict | reports |", "|---|---|---|---|"]
        for fact in checked:
            reports = "; ".join(
                f"{cell(r.as_written)} [{number[r.article]}]" + (f" ({cell(r.speaker)})" if r.speaker else "")
                for r in fact.reports
            )
            best = fact.to_dict()["best"]
            best_text = (
                "–".join(str(b) for b in best) if isinstance(best, list) else str(best if best is not None else "")
            )
            verdict = fact.verdict + (f": {cell(fact.note)}" if fact.note else "")
            lines.append(f"| {cell(fact.slot)} | {cell(best_text)} | {verdict} | {reports} |")
    lines += _timeline(item, number)
    lines += ["", "### Sources", ""]
    derived = {d.article: d for d in story.duplicates}
    for a in story.articles:
        article = articles[a]
        title = escape(article.title) if article.title else "*untitled*"
        mark = ""
        if a in derived:
            d = derived[a]
            mark = f" — {d.kind} of [{number[d.of]}] ({d.overlap:.0%} of its sentences)"
        lines.append(f"{number[a]}. {escape(a)}: {title} ({escape(_who(article))}){mark}")
    top = [e for e in item.entities if e.type in ("PERSON", "ORG")][:8]
    if top:
        lines += ["", "### Who", ""]
        for e in top:
            aliases = [x for x in e.aliases if x != e.canonical]
            also = f" (also: {escape(', '.join(aliases))})" if aliases else ""
            lines.append(f"- **{escape(e.canonical)}**{also} — {len(e.articles)} articles")
    return [*lines, ""]


def _timeline(item: StoryBrief, number: dict[str, int]) -> list[str]:
    """A dated list: the story's events, then what it recalls as background."""
    lines: list[str] = []
    for background, heading in ((False, "### Timeline"), (True, "#### Background")):
        entries = [t for t in item.timeline if t.background == background]
        if not entries:
            continue
        lines += ["", heading, ""]
        for t in entries:
            when = t.when or f"({t.relative})" if (t.when or t.relative) else "(undated)"
            shown = {(t.when or "").lower(), (t.relative or "").lower()}
            said = f" — “{escape(t.as_written)}”" if t.as_written and t.as_written.lower() not in shown else ""
            if t.dated_by == "publication":
                said = " — date of the report"
            refs = ", ".join(f"[{number[a]}]" for a in t.articles)
            lines.append(f"- **{escape(when)}**{said}: {escape(t.text)} {refs}")
    return lines


def brief_to_markdown(brief: Brief) -> str:
    """The brief as a Markdown document."""
    articles = {a.id: a for a in brief.corpus}
    manifest = brief.corpus.manifest
    lines = [
        "# Story briefs",
        "",
        f"{len(brief.stories)} stories from {len(articles)} articles; "
        f"{len(manifest.used)} inputs used, {len(manifest.skipped)} skipped.",
        "",
    ]
    for item in brief.stories:
        lines += _story(item, articles)
    if manifest.skipped or brief.notes:
        lines += ["## Not briefed", ""]
        for entry in manifest.skipped:
            where = entry.input + (f":{entry.record}" if entry.record is not None else "")
            lines.append(f"- `{escape(where)}`: {escape(entry.reason or '')}")
        lines += [f"- {escape(n)}" for n in brief.notes]
        lines.append("")
    return "\n".join(lines)
