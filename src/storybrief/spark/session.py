"""A Spark session for storybrief: Java and pyspark checked first, each missing piece named in one line.

pyspark is an optional extra (``storybrief[spark]``); nothing here imports it
until a session is asked for.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..errors import StorybriefError

#: The oldest Java that pyspark 4 runs on.
JAVA_NEEDED = 17


class SparkSetupError(StorybriefError):
    """Spark cannot start here: pyspark or Java is missing or too old."""


def java_version(java: str | None = None) -> int | None:
    """The major version of the Java that Spark would start (``JAVA_HOME``'s, else the one on PATH),
    or None when there is none."""
    if java is None:
        home = os.environ.get("JAVA_HOME")
        java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.path.exists(java):
        return None
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8" is Java 8


def check_java(java: str | None = None) -> int:
    """The Java major version, or :class:`SparkSetupError` saying what is missing."""
    version = java_version(java)
    if version is None:
        raise SparkSetupError(
            f"Spark needs Java {JAVA_NEEDED} or newer and none was found (install openjdk-{JAVA_NEEDED}-jre "
            "or set JAVA_HOME)"
        )
    if version < JAVA_NEEDED:
        raise SparkSetupError(f"Spark needs Java {JAVA_NEEDED} or newer; the Java found is version {version}")
    return version


def check_pyspark() -> None:
    """:class:`SparkSetupError` when pyspark is not installed."""
    try:
        import pyspark  # noqa: F401, PLC0415
    except ImportError:
        raise SparkSetupError(
            "pyspark is not installed: install the extra with `pip install 'storybrief[spark]'` (or `make setup`)"
        ) from None


def local_session(
    master: str = "local[*]",
    *,
    partitions: int | None = None,
    app: str = "storybrief",
    log: Path | None = None,
    settings: Mapping[str, str] | None = None,
) -> Any:
    """A Spark session for a run: ``master`` (``local[*]`` here, a cluster's URL elsewhere), ``partitions``
    shuffle partitions (None: Spark's own default), its console progress and its UI off (our bars say how far
    a run is), its log quiet but for errors, and Python workers that run this interpreter, offline.

    With ``log``, what Spark's JVM and its Python workers write to standard error (Java's and Spark's own
    start-up lines among it) goes to that file instead, for the session's life: the command's output is ours.
    ``settings``: more Spark settings, over these (a benchmark turns the UI on to read its figures).
    """
    check_pyspark()
    check_java()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        os.environ.setdefault(name, "1")
    from pyspark.sql import SparkSession  # noqa: PLC0415

    log_config = Path(__file__).with_name("log4j2.properties").as_uri()
    builder = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        # a worker holds the language models (over a gigabyte): below that, every shuffle would spill to disk
        .config("spark.python.worker.memory", "4g")
        .config("spark.executorEnv.HF_HUB_OFFLINE", "1")
        .config("spark.executorEnv.TRANSFORMERS_OFFLINE", "1")
        .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={log_config}")
        .config("spark.executor.extraJavaOptions", f"-Dlog4j.configurationFile={log_config}")
    )
    if partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions)).config(
            "spark.default.parallelism", str(partitions)
        )
    for key, value in (settings or {}).items():
        builder = builder.config(key, value)
    with _stderr_to(log) if log is not None else contextlib.nullcontext():
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Standard error (the file descriptor, which a child process inherits) sent to ``path`` meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with path.open("ab") as target:
        os.dup2(target.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def setup_line() -> str:
    """What ``make setup`` says of Spark here: nothing when it can run, else the one line that says why not."""
    try:
        check_java()
    except SparkSetupError as error:
        return f"setup: {error}: `storybrief spark` and its tests will not run\n"
    return ""
