"""Language identification of article text."""

from __future__ import annotations

from dataclasses import dataclass

from . import resources

#: Characters of text looked at; the opening of an article is enough.
SAMPLE_CHARS = 4000
#: Below this many letters (a headline, a short record) the guess is too weak to act on.
MIN_LETTERS = 120


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """An ISO 639-1 code (or None when unknown) and the identifier's confidence."""

    code: str | None
    confidence: float


def _letters(text: str, enough: int) -> int:
    """Letters in ``text``, counted until there are ``enough`` (a count past it is not needed)."""
    count = 0
    for start in range(0, len(text), 4 * enough):  # a slice at a time: most texts have enough at once
        count += sum(ch.isalpha() for ch in text[start : start + 4 * enough])
        if count >= enough:
            break
    return count


def identify(text: str, *, min_confidence: float = 0.6) -> LanguageGuess:
    """Guess the language of ``text``; None when the text is too short or the guess too weak."""
    sample = text[:SAMPLE_CHARS]
    if _letters(sample, MIN_LETTERS) < MIN_LETTERS:
        return LanguageGuess(None, 0.0)
    code, prob = resources.language_identifier().classify(sample)
    if prob < min_confidence:
        return LanguageGuess(None, float(prob))
    return LanguageGuess(str(code), float(prob))
