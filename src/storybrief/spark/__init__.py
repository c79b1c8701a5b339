"""storybrief on Apache Spark: the same stages as ``brief``, as Spark steps over a corpus past one machine.

The optional extra ``storybrief[spark]`` installs pyspark (4.x; Spark needs
Java 17 or newer). Nothing here imports pyspark until a run starts.

:func:`run` takes a Spark session and inputs (paths, or a DataFrame of
records with the fields a JSON record has) and gives a :class:`SparkRun`, whose
DataFrames :func:`write` saves; :func:`brief` is the short form that gives
the stories' briefs as a DataFrame. The stages, each calling storybrief's own
functions (see :mod:`.inputs`, :mod:`.stories`, :mod:`.briefs`):

1. ``ingest``: inputs read and cleaned per partition, ids made unique, the manifest;
2. ``features``: what clustering reads of each article, weighed by the corpus's frequencies;
3. ``candidates``: pairs sharing a rare term or name within overlapping date windows, copies (MinHashLSH) among them;
4. ``stories``: pairs scored by the same-story model, connected components, the local clusterer in each;
5. ``briefs``: per story, the local brief (parse, copies, facts, summary, entities, timeline);
6. ``write``: ``stories.parquet``, ``briefs.jsonl``, ``articles.parquet``, ``manifest.parquet``, ``notes.json``.

The same inputs and partition count give the same stories: every row keeps its
place in the input order, and each step sorts by it where order matters.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..briefing.pipeline import BriefOptions
from ..errors import OptionError, Skip, SkipCode
from ..model import Article, Corpus, Manifest
from ..readers import IngestOptions, skipped_entry
from ..report.json import SCHEMA_VERSION, made_by
from .briefs import article_row, briefed, manifest_row, numbered, story_row
from .inputs import Input, file_part, line_parts, may_clash, plan, read_parts, record_parts, renames, settled
from .session import SparkSetupError, check_java, local_session
from .stories import BLOCK_CAP, Blocking, find_stories

__all__ = [
    "STAGES",
    "SparkOptions",
    "SparkRun",
    "SparkSetupError",
    "brief",
    "check_java",
    "local_session",
    "run",
    "write",
]

#: The stages a run times, in order.
STAGES = ("ingest", "features", "candidates", "stories", "briefs", "write")
#: What a run writes into its output folder.
OUTPUTS = ("stories.parquet", "briefs.jsonl", "articles.parquet", "manifest.parquet", "notes.json")


@dataclass(frozen=True, slots=True)
class SparkOptions:
    """Options of a Spark run: those of ``ingest`` and of ``brief`` (its clustering, summary, facts …),
    ``partitions`` of the inputs and of every shuffle (None: Spark's default parallelism), the date
    ``window`` of stories in days (None: the clustering options' own), and ``cap``, the members of a
    block each member is paired with once a block is larger."""

    ingest: IngestOptions = field(default_factory=IngestOptions)
    brief: BriefOptions = field(default_factory=BriefOptions)
    partitions: int | None = None
    window: int | None = None
    cap: int = BLOCK_CAP

    def __post_init__(self) -> None:
        if self.partitions is not None and self.partitions < 1:
            raise OptionError("partitions", "a whole number of at least 1", self.partitions)
        if self.window is not None and self.window < 1:
            raise OptionError("window", "a number of days of at least 1", self.window)
        if self.cap < 2:
            raise OptionError("cap", "a whole number of at least 2", self.cap)

    def with_window(self) -> BriefOptions:
        """The brief's options with the run's window."""
        if self.window is None:
            return self.brief
        return replace(self.brief, cluster=replace(self.brief.cluster, window_days=self.window))


@dataclass(slots=True)
class SparkRun:
    """What a run made: DataFrames (cached: nothing is computed twice; ``stories`` and ``briefs`` are None
    for a run that stopped before them), its notes, the counts of what was read and compared, and the
    seconds of each of :data:`STAGES` done so far; ``read`` and ``accounted`` are stage 1's RDDs
    (``(Article, position)`` and ``(order, ManifestEntry)``) that :meth:`corpus` collects."""

    articles: Any
    manifest: Any
    stories: Any
    briefs: Any
    notes: list[str]
    counts: dict[str, int]
    timings: dict[str, float]
    partitions: int
    read: Any = None
    accounted: Any = None

    def corpus(self) -> Corpus:
        """The articles and the manifest of stage 1 on the driver, as ``ingest`` gives them: for a small
        batch (a Structured Streaming micro-batch fed to a store with ``Store.add_corpus``)."""
        articles = tuple(a for a, _ in sorted(self.read.collect(), key=lambda kv: kv[1]))
        entries = tuple(e for _, e in sorted(self.accounted.collect(), key=lambda kv: kv[0]))
        return Corpus(articles, Manifest(entries))


Progress = Callable[[str], None]


def brief(spark: Any, inputs: Any, options: SparkOptions | None = None) -> Any:
    """The briefs of every story of ``inputs`` (paths, or a DataFrame of records) as a DataFrame, one row a
    story in brief order: ``number``, ``id``, ``label``, ``first``, ``last``, ``articles``, ``size`` and
    ``brief`` (the story's ``briefs.json`` object as JSON text)."""
    return run(spark, inputs, options).briefs


def run(
    spark: Any,
    inputs: Any,
    options: SparkOptions | None = None,
    *,
    progress: Progress | None = None,
    through: str = "briefs",
) -> SparkRun:
    """Run the stages on ``inputs`` up to ``through`` (``ingest``: articles and manifest only;
    ``stories``: stages 1–4, no briefs; ``briefs``: all); ``progress(stage)`` is told as each stage ends."""
    if through not in ("ingest", "stories", "briefs"):
        raise OptionError("through", "ingest, stories or briefs", through)
    opts = options or SparkOptions()
    sc = spark.sparkContext
    partitions = opts.partitions or sc.defaultParallelism
    timings: dict[str, float] = {}

    @contextlib.contextmanager
    def clock(stage: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
        if progress:
            progress(stage)

    from .schemas import ARTICLES, BRIEFS, MANIFEST, STORIES, row  # noqa: PLC0415

    ingest_options = replace(opts.ingest, today=opts.ingest.today or dt.date.today())
    with clock("ingest"):
        articles, manifest = _ingest(spark, inputs, ingest_options, partitions)
        ordered = articles.sortByKey(numPartitions=partitions).values().zipWithIndex().cache()
        english = ordered.filter(lambda kv: kv[0].is_english).map(lambda kv: kv[0]).zipWithIndex()
        english = english.map(lambda kv: (kv[1], kv[0])).cache()
        entries = manifest.sortByKey().zipWithIndex().map(lambda kv: row(MANIFEST, manifest_row(kv[1], kv[0][1])))
        # (sorted RDDs keep their order, partition by partition, in the frames made from them)
        listed = spark.createDataFrame(entries, MANIFEST).cache()
        table = spark.createDataFrame(ordered.map(lambda kv: row(ARTICLES, article_row(kv[1], kv[0]))), ARTICLES)
        table = table.cache()
        counts = {"inputs": manifest.map(lambda kv: kv[1].input).distinct().count(), "read": ordered.count()}
        foreign = sorted(ordered.filter(lambda kv: not kv[0].is_english).collect(), key=lambda kv: kv[1])
        notes = [f"{a.id}: not briefed: language is {a.language!r}, not English" for a, _ in foreign]
    result = SparkRun(table, listed, None, None, notes, counts, timings, partitions, ordered, manifest)
    if through == "ingest":
        return result
    brief_options = opts.with_window()
    window = brief_options.cluster.window_days
    stories, found = find_stories(spark, english, brief_options.cluster, Blocking(window, opts.cap), clock)
    counts.update(found)
    rows = stories.map(lambda kv: row(STORIES, story_row(numbered(kv[1], kv[0]), kv[0])))
    result.stories = spark.createDataFrame(rows, STORIES).cache()
    if through == "stories":
        result.stories.count()
        return result
    with clock("briefs"):
        by_article = stories.flatMap(lambda kv: [(a, kv[0]) for a in kv[1].articles])
        members = by_article.join(english.map(lambda kv: (kv[1].id, kv[1]))).map(lambda kv: kv[1]).groupByKey()
        todo = stories.join(members).map(lambda kv: (kv[0], numbered(kv[1][0], kv[0]), list(kv[1][1])))
        todo = todo.sortBy(lambda item: item[0], numPartitions=partitions)
        made = todo.mapPartitions(lambda items: briefed(items, brief_options)).cache()
        made.count()  # once: the frame below reads it more than once (its sort samples it)
        briefs = spark.createDataFrame(made.map(lambda kv: (kv[0], kv[1])), BRIEFS)
        result.briefs = result.stories.join(briefs, "number").orderBy("number").cache()
        result.briefs.count()
    return result


def _ingest(spark: Any, inputs: Any, options: IngestOptions, partitions: int) -> tuple[Any, Any]:
    """Stage 1: ``((order, Article), (order, ManifestEntry))`` RDDs of the inputs."""
    sc = spark.sparkContext
    parts = []
    skips: list[tuple[tuple[int, int, int], Any]] = []
    if isinstance(inputs, str | Path):
        inputs = [str(inputs)]
    if isinstance(inputs, Sequence):
        planned = plan([str(i) for i in inputs], options, lambda uri: _listed(spark, uri))
    else:  # a DataFrame of records
        planned = [Input(0, "dataframe", "frame")]
    files = [p for p in planned if p.kind == "file"]
    for item in planned:
        if item.kind == "skip" and item.skip is not None:
            skips.append(((item.number, 0, 0), skipped_entry(item.name, item.skip)))
        elif item.kind == "lines":
            number, name, path = item.number, item.name, item.path or ""
            lines = sc.textFile(_uri(path), minPartitions=partitions, use_unicode=False).zipWithIndex()
            parts.append(lines.mapPartitions(lambda rows, n=number, m=name, p=path: line_parts(n, m, p, rows, options)))
        elif item.kind in ("parquet", "frame"):
            rows = _records(spark, inputs if item.kind == "frame" else None, item.path)
            parts.append(rows.mapPartitions(lambda rs, n=item.number, m=item.name: record_parts(n, m, rs, options)))
    if files:
        names = {_uri(f.path or ""): (f.number, f.name) for f in files}
        located = [_uri(f.path or "") for f in files]
        frame = spark.read.format("binaryFile").load(located)
        # Spark leaves out of its listings files it takes for hidden ("_x", ".x"): each is accounted for
        listed = {_uri(r[0]) for r in frame.select("path").collect()}
        for path, (number, name) in names.items():
            if path not in listed:
                reason = "not read: Spark does not list files whose names start with '_' or '.'"
                skips.append(((number, 0, 0), skipped_entry(name, Skip(SkipCode.UNSUPPORTED, reason))))
        read = frame.select("path", "modificationTime", "content").rdd
        found = read.map(lambda r: (r[0], r[1], r[2]))
        known = sc.broadcast(names)

        def whole(row: tuple[str, Any, bytes]) -> Any:
            number, name = known.value.get(_uri(row[0]), (-1, row[0]))
            return file_part(number, name, row[0], row[2], row[1])

        parts.append(found.map(whole))
    if not parts:
        empty = sc.emptyRDD()
        return empty, sc.parallelize(skips, 1)
    every = sc.union(parts).keyBy(lambda part: part.order).partitionBy(partitions).values()
    today = options.today or dt.date.today()
    outcomes = every.mapPartitions(lambda ps: read_parts(ps, options, today)).cache()
    read = outcomes.filter(lambda o: isinstance(o[3], Article))
    # new ids are found on the driver from the ids that could clash alone; the articles stay where they are
    twice = read.map(lambda o: (o[3].id, 1)).reduceByKey(lambda a, b: a + b).filter(lambda kv: kv[1] > 1)
    repeated = sc.broadcast(frozenset(twice.keys().collect()))
    clashing = read.filter(lambda o: may_clash(o[3].id, repeated.value)).map(lambda o: (o[0], o[3].id))
    renamed = sc.broadcast(renames(clashing.collect()))
    used = read.map(lambda o: settled(o, renamed.value, options, today)).cache()
    skipped = outcomes.filter(lambda o: isinstance(o[3], Skip)).map(lambda o: (o[0], skipped_entry(o[1], o[3])))
    manifest = used.map(lambda t: (t[0], t[2])).union(skipped).union(sc.parallelize(skips, 1))
    return used.map(lambda t: (t[0], t[1])), manifest


def _listed(spark: Any, uri: str) -> list[str] | None:
    """The files under a folder Spark names by its URI, in the order of their paths (None: it is a file)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    system = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not system.exists(path):
        raise FileNotFoundError(uri)
    if not system.getFileStatus(path).isDirectory():
        return None
    files = []
    found = system.listFiles(path, True)
    while found.hasNext():
        files.append(str(found.next().getPath().toString()))
    return sorted(files)


def _records(spark: Any, frame: Any, path: str | None) -> Any:
    """``(fields, index)`` of each record of a DataFrame, or of a Parquet file or folder in the order of
    its files' names and of the rows in each (Spark itself reads a folder's files in no set order)."""
    if frame is None:
        found = spark.read.parquet(_uri(path or ""))
        fields = found.columns
        placed = found.select("*", "_metadata.file_path", "_metadata.row_index")
        frame = placed.orderBy("file_path", "row_index").select(*fields)
    return frame.rdd.map(lambda r: r.asDict(recursive=True)).zipWithIndex()


def _uri(path: str) -> str:
    """A path as Spark names files (``file:/…`` for a local one)."""
    if "://" in path or path.startswith("file:"):
        found = "file:" + path[len("file://") :] if path.startswith("file://") else path
    else:
        found = Path(path).resolve().as_uri().replace("file://", "file:", 1)
    return unquote(found)


def write(result: SparkRun, out: Path | str) -> list[str]:
    """Write a run into ``out``: the Parquet tables, the briefs as JSON lines and the notes; the names written.

    Each table is a folder of parts, as Spark writes it, in order part by part.
    """
    if result.stories is None or result.briefs is None:
        raise OptionError("result", "a run through the briefs (run(..., through='briefs'))", "a partial run")
    started = time.perf_counter()
    base = str(out)
    result.stories.write.mode("overwrite").parquet(_join(base, "stories.parquet"))
    result.briefs.select("brief").coalesce(1).write.mode("overwrite").text(_join(base, "briefs.jsonl"))
    result.articles.write.mode("overwrite").parquet(_join(base, "articles.parquet"))
    result.manifest.write.mode("overwrite").parquet(_join(base, "manifest.parquet"))
    result.timings["write"] = time.perf_counter() - started
    notes = {
        "schema_version": SCHEMA_VERSION,
        "made_by": made_by(),
        "notes": result.notes,
        "counts": result.counts,
        "partitions": result.partitions,
        "seconds": {stage: round(result.timings.get(stage, 0.0), 3) for stage in STAGES},
    }
    Path(base).mkdir(parents=True, exist_ok=True)
    (Path(base) / "notes.json").write_text(json.dumps(notes, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return list(OUTPUTS)


def _join(base: str, name: str) -> str:
    return base.rstrip("/") + "/" + name
