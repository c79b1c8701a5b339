"""Shared fixtures: paths to the bundled examples and the third-party seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The seed articles in ../shared; tests that need them skip when it is absent."""
    if not (SEEDS / "gold.json").is_file():
        pytest.skip("../shared/seeds is not available")
    return SEEDS


@pytest.fixture
def examples_dir() -> Path:
    """The bundled fictional examples."""
    return EXAMPLES


CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the whole session: the system's browser and driver, named explicitly."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.skip("no browser: install Debian's chromium and chromium-driver (`make browser`)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (`make setup`)")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``storybrief brief`` run once on the examples and (when present) the seeds: name -> folder."""
    import os

    from typer.testing import CliRunner

    from storybrief.cli import app

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    out: dict[str, Path] = {}
    sets = {"examples": EXAMPLES}
    if (SEEDS / "gold.json").is_file():
        sets["seeds"] = SEEDS
    for name, folder in sets.items():
        target = tmp_path_factory.mktemp(name)
        result = CliRunner().invoke(app, ["brief", str(folder), "-o", str(target), "--quiet"])
        assert result.exit_code == 0, result.output
        out[name] = target
    return out


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    """One local Spark session (``local[2]``) for every Spark test; they skip, with the reason, without
    pyspark or Java 17+."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (the spark extra: `make setup`)")
    from storybrief.spark import SparkSetupError, local_session

    try:
        session = local_session("local[2]", partitions=2, app="storybrief-tests")
    except SparkSetupError as error:
        pytest.skip(str(error))
    yield session
    session.stop()
