"""The language layer: sentences, tokens, lemmas, entities and parses, computed once.

:func:`parse` runs the spaCy pipeline (loaded once per process by
:mod:`storybrief.resources`) over a batch of articles with ``nlp.pipe``, with
sentence boundaries fixed beforehand by :mod:`storybrief.sentences`. Each
result keeps its spaCy ``Doc`` in memory, so later stages read tokens, lemmas,
entities and dependencies without parsing again. Articles that are not in
English get sentences but no parse, and say why.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import OptionError
from ..model import Article, Sentence
from . import resources
from .cache import Cache, digest, source_version
from .sentences import split_sentences

#: What a caller can ask for, and the spaCy components each needs.
COMPONENTS: dict[str, tuple[str, ...]] = {
    "tokens": (),
    "lemmas": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "parse": ("tok2vec", "parser"),
    "entities": ("ner",),
}
ALL = ("tokens", "lemmas", "parse", "entities")
#: Named-entity types that entity linking groups.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})


@dataclass(frozen=True, slots=True)
class NlpOptions:
    """Options of the language layer: which annotations to compute, and the batch size."""

    annotations: tuple[str, ...] = ALL
    batch_size: int = 32

    def __post_init__(self) -> None:
        unknown = [a for a in self.annotations if a not in COMPONENTS]
        if unknown:
            raise OptionError("annotations", f"a subset of {', '.join(COMPONENTS)}", unknown)
        if self.batch_size < 1:
            raise OptionError("batch_size", "a whole number of at least 1", self.batch_size)

    def pipes(self) -> set[str]:
        """The spaCy components these annotations need."""
        return {pipe for name in self.annotations for pipe in COMPONENTS[name]}


#: Each parsed doc's entities and their first tokens, made once (``doc.ents`` builds them anew each time);
#: weakly keyed, so a doc's entry goes with it (and nothing is added to what a doc serialises).
_ENTITIES: weakref.WeakKeyDictionary[Any, tuple[tuple[Any, ...], list[int]]] = weakref.WeakKeyDictionary()


def _entities_of(doc: Any) -> tuple[tuple[Any, ...], list[int]]:
    found = _ENTITIES.get(doc)
    if found is None:
        ents = tuple(doc.ents)
        found = _ENTITIES[doc] = (ents, [e.start for e in ents])
    return found


def entities(doc: Any) -> tuple[Any, ...]:
    """The named entities of a parsed ``doc``, in order (``doc.ents``, made once)."""
    return _entities_of(doc)[0]


def entities_in(span: Any) -> list[Any]:
    """The named entities wholly inside ``span`` (as ``span.ents``, without walking the whole doc)."""
    ents, starts = _entities_of(span.doc)
    out = []
    for ent in ents[bisect.bisect_left(starts, span.start) :]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            out.append(ent)
    return out


def entity_at(doc: Any, i: int) -> Any | None:
    """The named entity token ``i`` of ``doc`` is part of, if any."""
    ents, starts = _entities_of(doc)
    k = bisect.bisect_right(starts, i) - 1
    return ents[k] if k >= 0 and ents[k].start <= i < ents[k].end else None


@dataclass(slots=True)
class ParsedArticle:
    """An article with its sentences and, for English text, its spaCy ``Doc``.

    ``doc`` is None when the article was not parsed; ``note`` then says why.
    """

    article: Article
    sentences: tuple[Sentence, ...]
    doc: Any = None
    note: str | None = None
    _sent_spans: list[Any] = field(default_factory=list, repr=False)

    def span(self, index: int) -> Any:
        """The spaCy span of sentence ``index`` (requires a parsed doc)."""
        if self.doc is None:
            raise ValueError(f"article {self.article.id!r} was not parsed: {self.note}")
        if not self._sent_spans:
            self._sent_spans = self._spans()
        return self._sent_spans[index]

    def _spans(self) -> list[Any]:
        """One span per sentence, by character offsets (the doc's own sentences when they line up).

        A boundary inside a token ("said.The") can leave the doc with fewer
        sentences than the splitter found; then each sentence is the span of
        the tokens its characters touch, so indices always agree.
        """
        doc_sents = list(self.doc.sents)
        if len(doc_sents) == len(self.sentences):
            return doc_sents
        out = []
        for s in self.sentences:
            span = self.doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is None or not len(span):
                token = self.doc[min(len(self.doc) - 1, max(0, self._token_at(s.start)))]
                span = self.doc[token.i : token.i + 1]
            out.append(span)
        return out

    def _token_at(self, char: int) -> int:
        for token in self.doc:
            if token.idx + len(token.text) > char:
                return int(token.i)
        return len(self.doc) - 1

    def sentence_at(self, char: int) -> int:
        """Index of the sentence containing clean-text position ``char`` (the nearest before it)."""
        lo, hi = 0, len(self.sentences) - 1
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.sentences[mid].start <= char:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return best

    def words(self) -> int:
        """Number of word tokens."""
        if self.doc is not None:
            return sum(1 for t in self.doc if not t.is_punct and not t.is_space)
        return len(re.findall(r"\w+", self.article.text))


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    """The article's sentences with offsets into its clean and source text."""
    out = []
    for index, (start, end) in enumerate(split_sentences(article.text)):
        src_start, src_end = article.offsets.source_span(start, end)
        out.append(Sentence(article.id, index, start, end, article.text[start:end], src_start, src_end))
    return tuple(out)


def parse(
    articles: Iterable[Article],
    options: NlpOptions | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    cache: Cache | None = None,
) -> list[ParsedArticle]:
    """Split and parse articles in batches; non-English articles get sentences only.

    With a ``cache``, an article parsed before (same text, models, annotations
    and code) is read from it, and what is parsed now is added to it.
    """
    opts = options or NlpOptions()
    items = [ParsedArticle(a, sentences_of(a)) for a in articles]
    english = [item for item in items if item.article.is_english]
    for item in items:
        if not item.article.is_english:
            item.note = f"not parsed: language is {item.article.language!r}, not English"
    todo = english
    keys: dict[int, str] = {}
    if cache is not None and english:
        from spacy.tokens import Doc  # noqa: PLC0415

        keys = {id(item): parse_key(item.article, opts) for item in english}
        vocab = resources.spacy_pipeline().vocab
        for start in range(0, len(english), _CACHE_BATCH):  # a batch of stored parses in memory at once
            part = english[start : start + _CACHE_BATCH]
            stored = cache.docs(keys[id(item)] for item in part)
            for item in part:
                data = stored.get(keys[id(item)])
                if data is None:
                    continue
                try:
                    item.doc = Doc(vocab).from_bytes(data)
                except Exception:  # a damaged entry: the article is parsed anew
                    item.doc = None
                    continue
                if progress:
                    progress(1)
        todo = [item for item in english if item.doc is None]
    fresh: dict[str, bytes] = {}
    for item, doc in zip(todo, _pipe(todo, opts) if todo else (), strict=True):
        # nothing reads the tok2vec tensor once the parse is made, and it is most of a Doc's memory
        doc.tensor = np.zeros((0,), dtype=np.float32)
        item.doc = doc
        data = doc_bytes(item) if cache is not None else None
        if cache is not None and data is not None:
            fresh[keys[id(item)]] = data
            if len(fresh) >= _CACHE_BATCH:
                cache.put_docs(fresh)
                fresh = {}
        if progress:
            progress(1)
    if cache is not None:
        cache.put_docs(fresh)
    return items


#: Parses read from or written to the cache at once.
_CACHE_BATCH = 256


def parse_key(article: Article, options: NlpOptions) -> str:
    """The cache key of an article's parse: its text, the models, the annotations and the code that parses."""
    return digest(
        resources.spacy_version(),
        source_version("text/nlp.py", "text/sentences.py"),
        ",".join(sorted(options.pipes())),
        article.text,
    )


def _pipe(items: Sequence[ParsedArticle], opts: NlpOptions) -> Iterator[Any]:
    nlp = resources.spacy_pipeline()
    wanted = opts.pipes()
    disable = [name for name in nlp.pipe_names if name not in wanted]
    docs = (_prepared_doc(nlp, item) for item in items)
    yield from nlp.pipe(docs, batch_size=opts.batch_size, disable=disable)


def _prepared_doc(nlp: Any, item: ParsedArticle) -> Any:
    """A tokenized doc whose sentence starts are fixed to the rule-based boundaries."""
    doc = nlp.make_doc(item.article.text)
    starts = {s.start for s in item.sentences}
    for token in doc:
        token.is_sent_start = token.idx in starts or token.i == 0
    # A boundary inside a token (rare: "U.S.The") moves to the token's start.
    for sentence in item.sentences[1:]:
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        if span is not None and len(span):
            span[0].is_sent_start = True
    return doc


def doc_bytes(item: ParsedArticle) -> bytes | None:
    """The parse of an article, serialised (spaCy's own format) so a store need not parse it again."""
    # the tok2vec tensor is three quarters of the bytes and nothing reads it once the parse is made
    return None if item.doc is None else bytes(item.doc.to_bytes(exclude=["tensor"]))


def parsed_from_bytes(article: Article, data: bytes | None) -> ParsedArticle:
    """An article's :class:`ParsedArticle` from :func:`doc_bytes` (sentences are split again: that is cheap)."""
    item = ParsedArticle(article, sentences_of(article))
    if data is None:
        item.note = f"not parsed: language is {article.language!r}, not English"
        return item
    from spacy.tokens import Doc  # noqa: PLC0415

    item.doc = Doc(resources.spacy_pipeline().vocab).from_bytes(data)
    return item
