"""``briefs.md``: a brief for people to read, every statement followed by the articles it comes from.

Article text is escaped (``<``, ``>``, ``&``, and Markdown's own marks at the
start of a line) so that a rendered brief shows it as text, never as markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Brief

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


def _who(article: Mapping[str, Any]) -> str:
    bits = [article.get("outlet") or "", article.get("published") or "undated"]
    return ", ".join(b for b in bits if b)


def _story(story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> list[str]:
    first, last = story.get("first"), story.get("last")
    dates = f"{first or '?'} – {last or '?'}" if first != last else f"{first or '?'}"
    lines = [f"## {escape(story['label'])}", "", f"*{len(story['articles'])} articles · {dates} · {story['id']}*", ""]
    number = {a: i + 1 for i, a in enumerate(story["articles"])}
    lines += ["### Summary", ""]
    for s in story["summary"]:
        refs = ", ".join(f"[{number[a]}]" for a in s["citations"])
        lines.append(f"- {escape(s['text'])} {refs}")
        if s.get("note"):
            lines.append(f"  - *{escape(cite_numbers(s['note'], number))}*")
    if not story["summary"]:
        lines.append("*No sentence could be selected.*")
    # A figure one sentence gives is in the text; the table is for cross-checks.
    checked = [
        f
        for f in story["facts"]
        if f.get("check") or not (f["kind"] == "quantity" and len(f["reports"]) < 2 and f["sources"] < 2)
    ]
    if checked:
        lines += ["", "### Facts", "", "| fact | best | verdict | reports |", "|---|---|---|---|"]
        for fact in checked:
            reports = "; ".join(
                f"{cell(r['as_written'])} [{number[r['article']]}]"
                + (f" ({cell(r['speaker'])})" if r.get("speaker") else "")
                for r in fact["reports"]
            )
            best = fact.get("best")
            best_text = (
                "–".join(str(b) for b in best) if isinstance(best, list) else str(best if best is not None else "")
            )
            verdict = fact["verdict"] + (f": {cell(fact['note'])}" if fact.get("note") else "")
            if fact.get("check"):
                c = fact["check"]
                said = "checked" if c["mark"] == "checked" else "marked wrong"
                verdict += f" — **{said}** by {cell(c['editor'])}, {c['at'][:10]}: {cell(c['why'])}"
            lines.append(f"| {cell(fact['slot'])} | {cell(best_text)} | {verdict} | {reports} |")
    lines += _timeline(story["timeline"], number)
    lines += ["", "### Sources", ""]
    derived = {d["article"]: d for d in story["duplicates"]}
    for a in story["articles"]:
        article = articles[a]
        title = escape(article["title"]) if article.get("title") else "*untitled*"
        mark = ""
        if a in derived:
            d = derived[a]
            mark = f" — {d['kind']} of [{number[d['of']]}] ({d['overlap']:.0%} of its sentences)"
        lines.append(f"{number[a]}. {escape(a)}: {title} ({escape(_who(article))}){mark}")
    top = [e for e in story["entities"] if e["type"] in ("PERSON", "ORG")][:8]
    if top:
        lines += ["", "### Who", ""]
        for e in top:
            aliases = [x for x in e["aliases"] if x != e["canonical"]]
            also = f" (also: {escape(', '.join(aliases))})" if aliases else ""
            lines.append(f"- **{escape(e['canonical'])}**{also} — {len(e['articles'])} articles")
    if story.get("corrections"):
        lines += ["", "### Corrections by editors", ""]
        for c in story["corrections"]:
            lines.append(f"- {escape(_corrected(c, number))} — {escape(c['editor'])}, {c['at']}: {escape(c['why'])}")
    return [*lines, ""]


def _corrected(c: Mapping[str, Any], number: Mapping[str, int]) -> str:
    """What an editor's correction says, in words."""
    if c["kind"] == "merge":
        return f"stories {c.get('story')} and {c.get('other')} merged into one"
    if c["kind"] == "split":
        return f"[{number.get(c.get('article', ''), '?')}] {c.get('article')} taken out of story {c.get('story')}"
    if c["kind"] == "unlink":
        where = "in this story" if c.get("story") else "in every story"
        return f"“{c.get('alias')}” is not the name {c.get('entity')} ({where})"
    return f"the verdict of “{c.get('slot')}” marked {c.get('mark')} (it was {c.get('verdict')})"


def _timeline(timeline: Sequence[Mapping[str, Any]], number: dict[str, int]) -> list[str]:
    """A dated list: the story's events, then what it recalls as background."""
    lines: list[str] = []
    for background, heading in ((False, "### Timeline"), (True, "#### Background")):
        entries = [t for t in timeline if bool(t.get("background")) == background]
        if not entries:
            continue
        lines += ["", heading, ""]
        for t in entries:
            when_, relative = t.get("when"), t.get("relative")
            when = when_ or f"({relative})" if (when_ or relative) else "(undated)"
            shown = {(when_ or "").lower(), (relative or "").lower()}
            written = t.get("as_written")
            said = f" — “{escape(written)}”" if written and written.lower() not in shown else ""
            if t.get("dated_by") == "publication":
                said = " — date of the report"
            refs = ", ".join(f"[{number[a]}]" for a in t["articles"])
            lines.append(f"- **{escape(when)}**{said}: {escape(t['text'])} {refs}")
    return lines


def document_to_markdown(document: Mapping[str, Any]) -> str:
    """A briefs.json document as Markdown (what ``brief`` writes, and ``export`` from a store)."""
    articles = {a["id"]: a for a in document["articles"]}
    inputs = document["manifest"]["inputs"]
    skipped = [e for e in inputs if e["status"] == "skipped"]
    notes = document.get("notes") or []
    lines = [
        "# Story briefs",
        "",
        f"{len(document['stories'])} stories from {len(articles)} articles; "
        f"{len(inputs) - len(skipped)} inputs used, {len(skipped)} skipped.",
        "",
    ]
    for story in document["stories"]:
        lines += _story(story, articles)
    if skipped or notes:
        lines += ["## Not briefed", ""]
        for entry in skipped:
            where = entry["input"] + (f":{entry['record']}" if entry.get("record") is not None else "")
            lines.append(f"- `{escape(where)}`: {escape(entry.get('reason') or '')}")
        lines += [f"- {escape(n)}" for n in notes]
        lines.append("")
    return "\n".join(lines)


def brief_to_markdown(brief: Brief) -> str:
    """The brief as a Markdown document."""
    from .json import brief_to_dict  # noqa: PLC0415 - json renders the model; Markdown reads what it wrote

    return document_to_markdown(brief_to_dict(brief))
