"""The ``storybrief`` command line: thin wrappers over the library. Only this module prints."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .errors import OptionError, StorybriefError
from .model import Corpus
from .readers import IngestOptions, field_overrides, ingest
from .readers.records import FieldNames
from .readers.sources import FORMATS, expand

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn news articles into cited story briefs.",
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False)


# Arguments and options several commands share.
PathsArgument = Annotated[list[str], typer.Argument(help="Files, directories, glob patterns, or - for standard input.")]
DatesOption = Annotated[
    Path | None, typer.Option("--dates", help="Publication dates by article id: a file of 'id,date' lines.")
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Publication date (YYYY-MM-DD) of articles that have none.")
]
FormatOption = Annotated[str, typer.Option("--format", help=f"Input format: {', '.join(FORMATS)}.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
WordsOption = Annotated[int, typer.Option("--words", help="Length budget of each story summary, in words.")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Print every skip reason and warning.")]
StreamOption = Annotated[
    bool, typer.Option("--stream", help="Cluster incrementally in date order (as a live feed would).")
]
#: Where `brief` keeps its cache, inside the output folder.
CACHE_FOLDER = ".cache"
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", help="Processes that read, parse and brief (default: the cores available).", min=1),
]


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version as installed  # noqa: PLC0415 - the CLI sits below the package's API

        typer.echo(installed("storybrief"))
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_show_version, is_eager=True)
    ] = False,
) -> None:
    """storybrief: turn news articles into cited story briefs."""


#: Above this many inputs a progress bar is shown.
PROGRESS_MIN_INPUTS = 50


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _date_options(dates: Path | None, date: str | None) -> dict[str, Any]:
    """``IngestOptions`` fields from ``--dates FILE`` and ``--date DAY``; a bad file or day is a user error."""
    from .readers import read_dates_file  # noqa: PLC0415
    from .readers.dates import parse_date  # noqa: PLC0415

    out: dict[str, Any] = {}
    if dates is not None:
        out["dates"] = read_dates_file(str(dates))
    if date is not None:
        day = parse_date(date)
        if day is None:
            raise OptionError("--date", "a date written YYYY-MM-DD", date)
        out["date"] = day
    return out


def _bar(label: str, *, disable: bool = False) -> Progress:
    """The progress bar of a long step, on stderr, gone when the step ends (``--quiet``: none)."""
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=disable,
    )


def _setup_logging(quiet: bool, verbose: bool) -> None:
    # Third-party libraries stay at WARNING; --verbose opens storybrief's own loggers.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("storybrief").setLevel(logging.ERROR if quiet else logging.INFO if verbose else logging.WARNING)


def _ingest_with_progress(paths: list[str], options: IngestOptions, quiet: bool, jobs: int = 1) -> Corpus:
    total = sum(1 for _ in expand(paths)) if not quiet and "-" not in paths else 0
    if quiet or total < PROGRESS_MIN_INPUTS:
        return ingest(paths, options, jobs=jobs)
    with _bar("reading") as bar:
        task = bar.add_task("ingest", total=total)
        return ingest(paths, options, progress=lambda _name: bar.advance(task), jobs=jobs)


def _read_articles(paths: list[str], options: IngestOptions, quiet: bool, verbose: bool, jobs: int = 1) -> Corpus:
    """Ingest for a command that needs articles: when none could be read, show why and stop (exit 1)."""
    corpus = _ingest_with_progress(paths, options, quiet, jobs)
    if not len(corpus):
        if not quiet:
            _print_manifest(corpus, verbose)
        raise _fail("no article could be read from the inputs", 1)
    return corpus


def _print_manifest(corpus: Corpus, verbose: bool) -> None:
    manifest = corpus.manifest
    table = Table(title="ingest", title_justify="left", show_edge=False)
    table.add_column("inputs", justify="right")
    table.add_column("status")
    table.add_column("reason")
    table.add_row(str(len(manifest.used)), "[green]used[/]", f"{len(corpus)} articles")
    reasons = Counter((e.code or "", e.reason if verbose else e.code or "") for e in manifest.skipped)
    for (_code, text), count in sorted(reasons.items()):
        table.add_row(str(count), "[yellow]skipped[/]", text)
    err.print(table)
    for entry in manifest.skipped:
        where = f"{entry.input}" + (f":{entry.record}" if entry.record is not None else "")
        err.print(f"[yellow]skipped[/] {where}: {entry.reason}", highlight=False, soft_wrap=True)
    if verbose:
        for entry in manifest.used:
            for warning in entry.warnings:
                err.print(f"[cyan]note[/] {entry.input}: {warning}", highlight=False, soft_wrap=True)


@app.command("ingest")
def ingest_command(
    paths: PathsArgument,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write clean articles here as JSON lines (default: standard output)."),
    ] = None,
    manifest: Annotated[
        Path | None, typer.Option("--manifest", help="Write the manifest here (default: manifest.json next to --out).")
    ] = None,
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    field: Annotated[
        list[str] | None,
        typer.Option("--field", help="Record field name, KEY=NAME (e.g. text=article_body); repeatable."),
    ] = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Read and clean articles; write them as JSON lines and account for every input."""
    _setup_logging(quiet, verbose)
    try:
        options = IngestOptions(
            format=fmt, fields=FieldNames().with_overrides(field_overrides(field or [])), **_date_options(dates, date)
        )
    except StorybriefError as error:
        raise _fail(str(error)) from None
    corpus = _ingest_with_progress(paths, options, quiet)

    lines = "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in corpus)
    manifest_path = manifest or (out.parent / "manifest.json" if out else None)
    try:
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(lines, encoding="utf-8")
        else:
            sys.stdout.write(lines)
        if manifest_path:
            manifest_path.parent.mkdir(parents=True, exist_ok=True)
            manifest_path.write_text(
                json.dumps(corpus.manifest.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
            )
    except OSError as error:
        raise _fail(f"{error.filename or out}: cannot write ({error.strerror})", 1) from None

    if not quiet:
        _print_manifest(corpus, verbose)
        if out:
            err.print(f"articles: {out}", highlight=False)
        if manifest_path:
            err.print(f"manifest: {manifest_path}", highlight=False)
    if not len(corpus):
        raise _fail("no article could be read from the inputs", 1)


@app.command("entities")
def entities_command(
    paths: PathsArgument,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the entity groups here as JSON.")] = None,
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    limit: Annotated[int, typer.Option("--limit", help="Rows to print (all are written to --out).")] = 40,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Link people, organisations and places across articles; print and write the entity groups."""
    from .briefing.entities import link_entities  # noqa: PLC0415 - keeps `storybrief --help` fast
    from .text.nlp import NlpOptions, parse  # noqa: PLC0415

    _setup_logging(quiet, verbose)
    try:
        options = IngestOptions(format=fmt, **_date_options(dates, date))
    except StorybriefError as error:
        raise _fail(str(error)) from None
    corpus = _read_articles(paths, options, quiet, verbose)
    try:
        parsed = _parse_with_progress(corpus, NlpOptions(annotations=("tokens", "entities")), quiet, parse)
    except StorybriefError as error:
        raise _fail(str(error), 1) from None
    entities = link_entities(parsed)
    if out:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            payload = {"entities": [e.to_dict() for e in entities]}
            out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as error:
            raise _fail(f"{out}: cannot write ({error.strerror})", 1) from None
    if quiet:
        return
    _print_manifest(corpus, verbose)
    for item in parsed:
        if item.note:
            err.print(f"[cyan]note[/] {item.article.id}: {item.note}", highlight=False)
    table = Table(title=f"entities ({len(entities)})", title_justify="left", show_edge=False)
    for column in ("entity", "type", "aliases", "articles", "mentions"):
        table.add_column(column, justify="right" if column in {"articles", "mentions"} else "left")
    for entity in entities[:limit]:
        table.add_row(
            escape(entity.canonical),
            entity.type,
            escape(" · ".join(entity.aliases)),
            str(len(entity.articles)),
            str(len(entity.mentions)),
        )
    Console().print(table)
    if len(entities) > limit:
        err.print(f"… {len(entities) - limit} more" + (f" in {out}" if out else " (use --out to write all)"))
    if out:
        err.print(f"entities: {out}", highlight=False)


@app.command("cluster")
def cluster_command(
    paths: PathsArgument,
    stream: StreamOption = False,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the stories here as JSON.")] = None,
    window: Annotated[int | None, typer.Option("--window", help="Days of quiet after which a story ends.")] = 30,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Same-story probability needed to join a story.")
    ] = 0.7,
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Group articles into stories; mark copies and rewrites."""
    from rich.tree import Tree  # noqa: PLC0415

    from .cluster import ClusterOptions, cluster  # noqa: PLC0415

    _setup_logging(quiet, verbose)
    try:
        options = IngestOptions(format=fmt, **_date_options(dates, date))
        cluster_options = ClusterOptions(threshold=threshold, window_days=window)
    except StorybriefError as error:
        raise _fail(str(error)) from None
    corpus = _read_articles(paths, options, quiet, verbose)
    try:
        stories = cluster(corpus, cluster_options, stream=stream)
    except StorybriefError as error:
        raise _fail(str(error), 1) from None
    if out:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            payload = {"stories": [s.to_dict() for s in stories]}
            out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as error:
            raise _fail(f"{out}: cannot write ({error.strerror})", 1) from None
    if quiet:
        return
    _print_manifest(corpus, verbose)
    by_id = {a.id: a for a in corpus}
    tree = Tree(f"[bold]{len(stories)} stories[/] ({'stream' if stream else 'batch'})")
    for story in stories:
        span = f"{story.first or '?'} … {story.last or '?'}"
        branch = tree.add(
            f"[bold]{escape(story.label)}[/]  [dim]{story.id} · {len(story.articles)} articles · {span}[/]"
        )
        links = {d.article: d for d in story.duplicates}
        for article_id in story.articles:
            article = by_id[article_id]
            link = links.get(article_id)
            mark = f"  [yellow]{link.kind} of {escape(link.of)} ({link.overlap:.0%})[/]" if link else ""
            outlet = f" · {escape(article.outlet)}" if article.outlet else ""
            branch.add(f"{escape(article_id)}{outlet} · {article.published or 'undated'}{mark}")
    Console().print(tree)
    skipped = [a.id for a in corpus if not a.is_english]
    if skipped:
        err.print(f"[cyan]note[/] not clustered (not English): {', '.join(skipped)}", highlight=False)
    if out:
        err.print(f"stories: {out}", highlight=False)


@app.command("brief")
def brief_command(
    paths: PathsArgument,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Write briefs.json, briefs.md and briefs.html into this folder.")
    ],
    words: WordsOption = 120,
    stream: StreamOption = False,
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    jobs: JobsOption = None,
    cache: Annotated[
        bool,
        typer.Option(
            "--cache/--no-cache",
            help="Keep parses, embeddings and story briefs in OUT/.cache for a second run of the same articles.",
        ),
    ] = True,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Brief every story: group articles; per story a cited summary, cross-checked facts, entities and a timeline."""
    from .briefing.pipeline import BriefOptions, brief  # noqa: PLC0415 - keeps `storybrief --help` fast
    from .briefing.summarize import SummaryOptions  # noqa: PLC0415
    from .report import write_briefs  # noqa: PLC0415
    from .report.markdown import cite_numbers  # noqa: PLC0415

    _setup_logging(quiet, verbose)
    try:
        options = IngestOptions(format=fmt, **_date_options(dates, date))
        brief_options = BriefOptions(
            summary=SummaryOptions(words=words), stream=stream, jobs=jobs, cache=out / CACHE_FOLDER if cache else None
        )
    except StorybriefError as error:
        raise _fail(str(error)) from None
    if out.exists() and not out.is_dir():
        raise _fail(f"{out}: exists and is not a folder")
    corpus = _read_articles(paths, options, quiet, verbose, brief_options.processes())
    try:
        with _bar("{task.description}", disable=quiet) as bar:
            tasks = {
                "parse": bar.add_task("parsing", total=sum(1 for a in corpus if a.is_english)),
                "brief": bar.add_task("briefing", total=None),
            }
            result = brief(corpus, brief_options, progress=lambda stage, n: bar.advance(tasks[stage], n))
    except StorybriefError as error:
        raise _fail(str(error), 1) from None
    try:
        write_briefs(result, out)
    except OSError as error:
        raise _fail(f"{error.filename or out}: cannot write ({error.strerror})", 1) from None
    if quiet:
        return
    _print_manifest(corpus, verbose)
    console = Console()
    for item in result.stories:
        story = item.story
        number = {a: i + 1 for i, a in enumerate(story.articles)}
        span = f"{story.first or '?'} … {story.last or '?'}"
        console.print(
            f"\n[bold]{escape(story.label)}[/]  [dim]{story.id} · {len(story.articles)} articles · {span}[/]",
            highlight=False,
        )
        for s in item.summary:
            refs = ",".join(str(number[a]) for a in s.citations)
            console.print(f"  • {escape(s.text)} [cyan]\\[{refs}][/]", highlight=False)
            if s.note:
                console.print(f"    [yellow]{escape(cite_numbers(s.note, number))}[/]", highlight=False)
        for fact in item.facts:
            if fact.sources < 2:
                continue  # the cross-checks: facts that more than one source reports
            best = fact.to_dict()["best"]
            shown = "–".join(map(str, best)) if isinstance(best, list) else (str(best) if best is not None else "")
            colour = {"consistent": "green", "conflicting": "red", "updated": "yellow"}.get(fact.verdict, "magenta")
            console.print(
                f"  [dim]fact[/] {escape(fact.slot)}: {escape(shown)} [{colour}]{fact.verdict}[/]"
                f" [dim]({fact.sources} sources)[/]",
                highlight=False,
            )
        events = [t for t in item.timeline if not t.background and len(t.articles) > 1]
        for t in events[:6]:  # the compact view: events more than one article reports
            when = t.when or f"({t.relative})"
            refs = ",".join(str(number[a]) for a in t.articles)
            text = t.text if len(t.text) <= 110 else t.text[:107] + "…"
            console.print(f"  [dim]when[/] {escape(when)}: {escape(text)} [cyan]\\[{refs}][/]", highlight=False)
        sources = " · ".join(f"{number[a]} {escape(a)}" for a in story.articles)
        console.print(f"  [dim]{sources}[/]", highlight=False)
    for note in result.notes:
        err.print(f"[cyan]note[/] {escape(note)}", highlight=False)
    err.print(f"briefs: {out / 'briefs.json'}, {out / 'briefs.md'}, {out / 'briefs.html'}", highlight=False)


@app.command("report")
def report_command(
    document: Annotated[Path, typer.Argument(help="A briefs.json written by `storybrief brief`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Write briefs.html into this folder.")],
    quiet: QuietOption = False,
) -> None:
    """Render the HTML report of a saved briefs.json (one self-contained page, made from the JSON alone)."""
    from .report import SCHEMA_VERSION, brief_to_html  # noqa: PLC0415

    try:
        data = json.loads(document.read_text(encoding="utf-8"))
    except OSError as error:
        raise _fail(f"{document}: cannot read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _fail(f"{document}: not a JSON document ({error})") from None
    if not isinstance(data, dict) or not {"manifest", "articles", "stories"} <= set(data):
        raise _fail(f"{document}: not a briefs.json (no manifest, articles and stories)")
    major = str(data.get("schema_version", "")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise _fail(f"{document}: schema {data.get('schema_version')!r}; this storybrief reads {SCHEMA_VERSION}")
    if out.exists() and not out.is_dir():
        raise _fail(f"{out}: exists and is not a folder")
    try:
        page = brief_to_html(data)
    except (KeyError, TypeError, ValueError) as error:
        raise _fail(f"{document}: a field the report needs is missing or malformed ({error})") from None
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "briefs.html").write_text(page, encoding="utf-8")
    except OSError as error:
        raise _fail(f"{error.filename or out}: cannot write ({error.strerror})", 1) from None
    if not quiet:
        err.print(f"report: {out / 'briefs.html'}", highlight=False)


def _parse_with_progress(corpus: Corpus, options: Any, quiet: bool, parse: Any) -> Any:
    if quiet or len(corpus) < PROGRESS_MIN_INPUTS:
        return parse(corpus, options)
    with _bar("parsing") as bar:
        task = bar.add_task("parse", total=sum(1 for a in corpus if a.is_english))
        return parse(corpus, options, progress=lambda n: bar.advance(task, n))


def main() -> None:
    """Console-script entry point."""
    app()


StoreOption = Annotated[Path, typer.Option("--store", help="The store file (SQLite).")]


def _open_store(path: Path, *, must_exist: bool = False) -> Any:
    from .store import Store, StoreError  # noqa: PLC0415

    if must_exist and not path.is_file():
        raise _fail(f"{path}: no such store (create one with `storybrief add`)")
    try:
        return Store(path)
    except StoreError as error:
        raise _fail(str(error)) from None


@app.command("add")
def add_command(
    paths: PathsArgument,
    store: StoreOption = Path("storybrief.db"),
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Add articles to a store: new ones join stories (stream clustering), changed ones are revised."""
    _setup_logging(quiet, verbose)
    try:
        options = IngestOptions(format=fmt, **_date_options(dates, date))
    except StorybriefError as error:
        raise _fail(str(error)) from None
    corpus = _ingest_with_progress(paths, options, quiet)
    with (
        _open_store(store) as db,
        _bar("adding", disable=quiet or len(corpus) < PROGRESS_MIN_INPUTS) as bar,
    ):
        task = bar.add_task("adding", total=len(corpus))
        result = db.add_corpus(corpus, progress=lambda n: bar.advance(task, n))
    if not quiet:
        _print_manifest(corpus, verbose)
        err.print(
            f"store {store}: {result.new} new, {result.unchanged} unchanged, {result.updated} updated, "
            f"{result.skipped} skipped; {len(result.rebuilt)} stories rebuilt",
            highlight=False,
        )


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Write briefs.json, briefs.md and briefs.html here.")],
    store: StoreOption = Path("storybrief.db"),
    since: Annotated[str | None, typer.Option("--since", help="Only stories active on or after this date.")] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="Only this story (a merged id gives its survivor).")
    ] = None,
    from_spark: Annotated[
        Path | None,
        typer.Option("--from-spark", help="Export the output folder of `storybrief spark` instead of a store."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Write the stored stories' briefs (or a Spark run's) as briefs.json, briefs.md and briefs.html."""
    import datetime as dt  # noqa: PLC0415

    from .report.html import write_html  # noqa: PLC0415
    from .report.markdown import document_to_markdown  # noqa: PLC0415

    try:
        day = dt.date.fromisoformat(since) if since else None
    except ValueError:
        raise _fail(f"--since: {since!r} is not a date (YYYY-MM-DD)") from None
    if out.exists() and not out.is_dir():
        raise _fail(f"{out}: exists and is not a folder")
    if from_spark is not None:
        document = _spark_document(from_spark, day, story)
    else:
        with _open_store(store, must_exist=True) as db:
            db.rebuild()  # what an interrupted add left to do
            if story and db.brief(story) is None:
                raise _fail(f"{story}: no such story in {store}")
            document = db.document(since=day, story=story)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with (out / "briefs.json").open("w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=1, ensure_ascii=False)
            stream.write("\n")
        (out / "briefs.md").write_text(document_to_markdown(document), encoding="utf-8")
        write_html(document, out / "briefs.html")
    except OSError as error:
        raise _fail(f"{error.filename or out}: cannot write ({error.strerror})", 1) from None
    if not quiet:
        err.print(f"exported {len(document['stories'])} stories to {out}", highlight=False)


def _spark_document(folder: Path, since: Any, story: str | None) -> dict[str, Any]:
    """The briefs.json document of a Spark run's output, limited as ``export`` limits a store's."""
    from .spark.output import read_document  # noqa: PLC0415

    try:
        document = read_document(folder)
    except (StorybriefError, OSError, ValueError) as error:
        raise _fail(str(error)) from None
    stories = document["stories"]
    if story is not None:
        stories = [s for s in stories if s["id"] == story]
        if not stories:
            raise _fail(f"{story}: no such story in {folder}")
    if since is not None:
        stories = [s for s in stories if (s["last"] or s["first"] or "") >= since.isoformat()]
    kept = {a for s in stories for a in s["articles"]}
    if story is not None or since is not None:
        document["articles"] = [a for a in document["articles"] if a["id"] in kept]
    document["stories"] = stories
    return document


@app.command("spark")
def spark_command(
    paths: PathsArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Write the run's tables and briefs into this folder.")],
    master: Annotated[
        str, typer.Option("--master", help="Spark master: local[*] runs on this machine's cores, or a cluster's URL.")
    ] = "local[*]",
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions of the inputs and of every shuffle.")
    ] = None,
    window: Annotated[
        int | None, typer.Option("--window", min=1, help="Days within which reports can be one story (default 30).")
    ] = None,
    words: WordsOption = 120,
    dates: DatesOption = None,
    date: DateOption = None,
    fmt: FormatOption = "auto",
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Brief a corpus on Apache Spark: the same stages and results as `brief`, for corpora past one machine."""
    from .briefing.pipeline import BriefOptions  # noqa: PLC0415
    from .briefing.summarize import SummaryOptions  # noqa: PLC0415
    from .spark import STAGES, SparkOptions, SparkSetupError, local_session, run, write  # noqa: PLC0415
    from .spark.session import check_pyspark  # noqa: PLC0415

    _setup_logging(quiet, verbose)
    try:
        options = SparkOptions(
            ingest=IngestOptions(format=fmt, **_date_options(dates, date)),
            brief=BriefOptions(summary=SummaryOptions(words=words)),
            partitions=partitions,
            window=window,
        )
    except StorybriefError as error:
        raise _fail(str(error)) from None
    if out.exists() and not out.is_dir():
        raise _fail(f"{out}: exists and is not a folder")
    try:
        check_pyspark()
        from pyspark.sql import SparkSession  # noqa: PLC0415

        ours = SparkSession.getActiveSession() is None  # a caller's session (tests, a notebook) stays up
        spark = local_session(master, partitions=partitions, log=out / "spark.log")
    except SparkSetupError as error:
        raise _fail(str(error)) from None
    try:
        with _bar("spark: {task.fields[stage]}", disable=quiet) as bar:
            task = bar.add_task("spark", total=len(STAGES), stage=STAGES[0])

            def done(stage: str) -> None:
                bar.update(task, advance=1, stage=STAGES[min(STAGES.index(stage) + 1, len(STAGES) - 1)])

            result = run(spark, paths, options, progress=done)
            if not result.counts.get("read"):
                raise _fail("no article could be read from the inputs", 1)
            write(result, out)
            done("write")
    finally:
        if ours:
            spark.stop()
    if quiet:
        return
    counts = result.counts
    err.print(
        f"spark: {counts['read']} articles from {counts['inputs']} inputs, {counts['stories']} stories "
        f"({counts['candidate pairs']} candidate pairs, {counts['accepted pairs']} accepted) in "
        f"{sum(result.timings.values()):.1f} s on {result.partitions} partitions",
        highlight=False,
    )
    err.print(f"output: {out} (`storybrief export --from-spark {out} -o DIR` writes the reports)", highlight=False)


@app.command("recluster")
def recluster_command(
    store: StoreOption = Path("storybrief.db"),
    days: Annotated[int, typer.Option("--days", help="Refine the stories of the last DAYS of stored articles.")] = 30,
    quiet: QuietOption = False,
) -> None:
    """Batch refinement of the stored stories (stream clustering's merges and splits); rebuild what changes."""
    if days < 1:
        raise _fail(f"--days: {days} is not a number of days of at least 1")
    with _open_store(store, must_exist=True) as db:
        result = db.recluster(days)
    if not quiet:
        err.print(", ".join(f"{k} {v}" for k, v in result.items()), highlight=False)


@app.command("corrections")
def corrections_command(store: StoreOption = Path("storybrief.db")) -> None:
    """The editors' corrections (made in the web app with its token), oldest first, withdrawn ones marked."""
    with _open_store(store, must_exist=True) as db:
        made = db.corrections()
    console = Console()
    if not made:
        console.print("no corrections", highlight=False)
    for c in made:
        target = {
            "merge": f"stories {c.story} and {c.other} are one",
            "split": f"article {c.article} is not of story {c.story} (now in {c.other})",
            "unlink": f"{c.alias!r} is not {c.entity}" + (f" in story {c.story}" if c.story else " (every story)"),
            "verdict": f"verdict of {c.slot!r} in story {c.story} is {c.mark} (was {c.verdict})",
        }[c.kind]
        gone = f" [withdrawn by {c.withdrawn_by}, {c.withdrawn}]" if c.withdrawn else ""
        console.print(f"{c.id}. {c.kind}: {target} — {c.editor}, {c.at}: {c.why}{gone}", highlight=False, markup=False)


@app.command("stats")
def stats_command(store: StoreOption = Path("storybrief.db")) -> None:
    """Articles, stories, outlets, revisions, inputs by status, and the last poll of each feed."""
    with _open_store(store, must_exist=True) as db:
        stats = db.stats()
    console = Console()
    feeds = stats.pop("feeds", [])
    for key, value in stats.items():
        shown = ", ".join(f"{k} {v}" for k, v in sorted(value.items())) if isinstance(value, dict) else value
        console.print(f"{key}: {shown}", highlight=False)
    console.print(f"feeds: {len(feeds)}", highlight=False)
    for feed in feeds:
        failing = f", {feed['failures']} failed polls in a row" if feed["failures"] else ""
        why = f" ({feed['last_reason']})" if feed["last_status"] == "failed" and feed["last_reason"] else ""
        console.print(
            f"  {feed['url']}: last poll {feed['last_poll']}, {feed['last_status']}{why}, "
            f"{feed['entries']} entries{failing}",
            highlight=False,
            markup=False,
        )


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _seconds(value: str, option: str, *, zero: bool = False) -> float:
    """``90``, ``30s``, ``15m``, ``2h``, ``1d`` as seconds (one clear line when it is none of these)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value.lower())
    if not match or (float(match.group(1)) <= 0 and not zero):
        raise _fail(f"{option}: {value!r} is not a duration (like 30s, 15m, 2h)")
    return float(match.group(1)) * _UNITS[match.group(2) or "s"]


@app.command("watch")
def watch_command(
    feeds: Annotated[Path, typer.Option("--feeds", help="An OPML file, or a text file with one feed URL a line.")],
    store: StoreOption = Path("storybrief.db"),
    every: Annotated[str, typer.Option("--every", help="Time between two polls (30s, 15m, 2h).")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and stop (for cron).")] = False,
    timeout: Annotated[str, typer.Option("--timeout", help="Longest wait for one response.")] = "15s",
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest response read, in bytes.")] = 3_000_000,
    delay: Annotated[str, typer.Option("--delay", help="Least time between two requests to one host.")] = "1s",
    retries: Annotated[int, typer.Option("--retries", help="Extra attempts after a timeout, 429 or 5xx.")] = 2,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Poll RSS/Atom feeds into a store: conditional GET, limits, robots.txt, politeness, retries.

    Runs until interrupted (Ctrl-C or SIGTERM stop it cleanly after the feed in hand), or once with --once.
    """
    import signal  # noqa: PLC0415

    from .readers.fetch import FetchOptions  # noqa: PLC0415
    from .store.watch import FeedListError, Watcher, read_feed_list  # noqa: PLC0415

    _setup_logging(quiet, verbose)
    interval = _seconds(every, "--every")
    try:
        urls = read_feed_list(feeds)
        fetch = FetchOptions(
            timeout=_seconds(timeout, "--timeout"),
            max_bytes=max_bytes,
            delay=_seconds(delay, "--delay", zero=True),
            retries=retries,
        )
    except (FeedListError, StorybriefError) as error:
        raise _fail(str(error)) from None
    with _open_store(store) as db:
        watcher = Watcher(db, urls, fetch=fetch)

        def stop(signum: int, _frame: object) -> None:
            if watcher.stop.is_set():  # a second signal: stop now (the batch in hand rolls back)
                raise KeyboardInterrupt
            watcher.stop.set()
            if not quiet:
                err.print(f"{signal.Signals(signum).name}: stopping after the feed in hand", highlight=False)

        previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

        def report(poll: Any) -> None:
            if quiet:
                return
            failed = [u for u, s in poll.feeds.items() if s == "failed"]
            err.print(
                f"poll: {len(poll.feeds)} feeds ({poll.count('fetched')} fetched, "
                f"{poll.count('not-modified')} not modified, {len(failed)} failed); "
                f"{poll.new} new, {poll.unchanged} unchanged, {poll.updated} updated, {poll.skipped} skipped; "
                f"pages {poll.pages_fetched} read, {poll.pages_failed} not used",
                highlight=False,
            )
            for url in failed:
                state = db.feed(url) or {}
                err.print(f"  failed: {url}: {state.get('last_reason')}", highlight=False, markup=False)

        bar = _bar("polling", disable=quiet)
        task = bar.add_task("polling", total=len(urls))

        def polled(poll: Any) -> None:
            bar.reset(task)
            report(poll)

        watcher.progress = lambda _url: bar.advance(task)
        try:
            with bar:
                watcher.run(interval, once=once, on_poll=polled)
        except KeyboardInterrupt:
            raise _fail("interrupted; the batch in hand was rolled back", code=130) from None
        finally:
            watcher.close()
            for s, handler in previous.items():
                signal.signal(s, handler)


def _loopback(host: str) -> bool:
    import ipaddress  # noqa: PLC0415

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@app.command("serve")
def serve_command(
    store: StoreOption = Path("storybrief.db"),
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless you mean it).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="STORYBRIEF_TOKEN",
            help="Bearer token that allows adding articles and corrections (also read from STORYBRIEF_TOKEN).",
        ),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Serve the store in a browser and as a JSON API: stories, articles, names, outlets, search, Atom feeds."""
    if not store.is_file():
        raise _fail(
            f"{store}: no such store (fill one with `storybrief add` or `storybrief watch`, or run `make demo`)"
        )
    if not _loopback(host) and not token:
        err.print(
            f"warning: serving on {host} without --token: anyone who can reach it reads the store "
            "(adding articles stays off)",
            highlight=False,
        )
    import uvicorn  # noqa: PLC0415

    from .store import StoreError  # noqa: PLC0415
    from .web import create_app  # noqa: PLC0415

    try:
        web = create_app(store, token=token)
    except StoreError as error:
        raise _fail(str(error)) from None
    if not quiet:
        err.print(f"serving {store} on http://{host}:{port}/ (Ctrl-C stops)", highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning" if quiet else "info", access_log=not quiet)


if __name__ == "__main__":
    main()
