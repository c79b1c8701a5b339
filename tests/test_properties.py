"""Property tests: ingest never raises and its manifest accounts for every input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storybrief import ingest, ingest_bytes
from storybrief.text.clean import clean_text

EXTENSIONS = ["", ".txt", ".md", ".html", ".json", ".jsonl", ".rss", ".xml"]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=2000), extension=st.sampled_from(EXTENSIONS))
def test_arbitrary_bytes_never_raise(data: bytes, extension: str) -> None:
    corpus = ingest_bytes(data, "input" + extension, extension=extension)
    assert corpus.manifest.entries
    assert all(e.status == "used" or e.reason for e in corpus.manifest.entries)
    assert sum(len(e.articles) for e in corpus.manifest.entries) == len(corpus)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=2000), extension=st.sampled_from(EXTENSIONS))
def test_arbitrary_text_never_raises(text: str, extension: str) -> None:
    corpus = ingest_bytes(text.encode("utf-8", errors="surrogatepass"), "input" + extension, extension=extension)
    assert corpus.manifest.entries
    for article in corpus:
        assert [article.text[a:b] for a, b in article.paragraphs] == article.text.split("\n\n")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(
        st.text(min_size=1, max_size=12).filter(lambda n: "/" not in n and "\x00" not in n and n not in {".", ".."}),
        min_size=1,
        max_size=5,
        unique=True,
    )
)
def test_every_file_is_in_the_manifest(tmp_path_factory, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    root: Path = tmp_path_factory.mktemp("files")
    written = 0
    for i, name in enumerate(names):
        path = root / f"{name}{i}.txt"
        try:
            path.write_bytes(b"The council voted to close the bridge on Monday, officials said.")
        except OSError:
            continue
        written += 1
    corpus = ingest([str(root)])
    assert len(corpus.manifest.entries) == written


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_clean_paragraphs_are_tidy(text: str) -> None:
    cleaned = clean_text(text)
    for a, b in cleaned.paragraphs:
        paragraph = cleaned.text.text[a:b]
        assert paragraph and paragraph == paragraph.strip()
        assert "\n" not in paragraph and "  " not in paragraph
