"""Cleaning: from extracted article text to the clean body, keeping provenance.

The stage runs after every reader (plain text, HTML, JSON, feeds). It works in
four passes over a :class:`MappedText`, so that each clean character still
knows its source position:

1. characters: line ends, literal escapes, HTML entities, odd spaces, zero-width
   and control characters;
2. header: ``Key: value`` metadata lines, title and subtitle lines, bylines;
3. lines: widgets, photo credits and captions, copyright and "read more" lines;
4. paragraphs: hard wraps joined, sentences broken by page breaks rejoined,
   author bios at the end dropped.

The article's own words are never changed otherwise. Every dropped line is
returned with the kind of thing it was, so callers can report what was removed.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .textmap import MappedText

# --------------------------------------------------------------------------- characters

_NEWLINES = re.compile(r"\r\n?|\f|\u2028|\u2029|\x0b")
_LITERAL_ESCAPES = re.compile(r"\\(?:r\\n|[\"'/nt])")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_DROP_CHARS = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f]+")
_ODD_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_MULTI_SPACE = re.compile(r" {2,}")
_NON_ASCII_RUN = re.compile(r"[\x21-\x7e]?[^\x00-\x7f]+")

_ESCAPE_VALUES = {'\\"': '"', "\\'": "'", "\\/": "/", "\\n": "\n", "\\t": " ", "\\r\\n": "\n"}


def _unescape_entity(match: re.Match[str]) -> str:
    value = html.unescape(match.group(0))
    return value if value != match.group(0) else match.group(0)


def normalize_characters(text: MappedText) -> MappedText:
    """Normalise line ends, escapes, entities, invisible characters and accents (Unicode NFC)."""
    text = text.sub(_NEWLINES, lambda m: "\n\n" if m.group(0) == "\f" else "\n")
    text = text.sub(_LITERAL_ESCAPES, lambda m: _ESCAPE_VALUES[m.group(0)])
    text = text.sub(_ENTITY, _unescape_entity)
    text = text.sub(_DROP_CHARS, "")
    text = text.sub(_ODD_SPACES, " ")
    text = text.sub(_MULTI_SPACE, " ")
    if not unicodedata.is_normalized("NFC", text.text):
        # Composed accents, so that "é" written as e + U+0301 is the same word as "é".
        text = text.sub(_NON_ASCII_RUN, lambda m: unicodedata.normalize("NFC", m.group(0)))
    return text


# --------------------------------------------------------------------------- line kinds

_TERMINAL = re.compile(r"[.!?…:;][\"”’'»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*$")
_WORD = re.compile(r"\w+")

_HEADER = re.compile(
    r"^(?P<key>title|headline|source|outlet|publication|publisher|date|published|"
    r"updated|author|authors|byline|url|link|note)\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|[a-z]{1,3}-[A-Z][\w'’-]*|de|van|von|der|al|bin|da|la|le)"
_BYLINE = re.compile(
    r"^(?:by|written by|words by|reporting by|author|authors|byline)\s*:?\s+"
    rf"(?P<names>{_NAME_TOKEN}(?:[ ,]+(?:and\s+|&\s+)?{_NAME_TOKEN}){{0,11}})"
    r"(?:\s*[|,/]\s*(?P<outlet>[A-Z][\w.&' -]{1,40}))?$",
    re.IGNORECASE,
)
_OUTLET_WORD = re.compile(
    r"\b(?:press|news|reuters|agency|times|post|wire|service|bloomberg|afp|ap|herald|journal|"
    r"tribune|gazette|radio|television|tv|network|daily|weekly|magazine)\b",
    re.IGNORECASE,
)
_WIDGET_STRONG = re.compile(
    r"\b(?:in your inbox|unsubscribe|subscribe (?:now|today|here)|"
    r"subscribers? only|sign up for (?:our|more|free)|thank you for signing up|"
    r"top stories delivered|headlines delivered|delivered to your inbox|"
    r"get (?:today's|the day's|our) headlines)\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(r"\bnewsletters?\b", re.IGNORECASE)
_WIDGET_WEAK = re.compile(
    r"\b(?:sign up|delivered every (?:morning|day|weekday|week)|subscribe|get the latest|"
    r"don't miss|enter your email|your email address|privacy policy|terms of (?:use|service))\b",
    re.IGNORECASE,
)
_ADVERT = re.compile(
    r"^(?:advertisement|advertisment|skip advertisement|ad|sponsored(?: content)?|"
    r"story continues below(?: this)? advertisement|continue reading(?: the main story)?|"
    r"scroll to continue(?: with content)?|paid content)$",
    re.IGNORECASE,
)
_SOCIAL = r"(?:facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|email|e-mail|print|copy link|tweet|share)"
_SHARE = re.compile(
    rf"^(?:share(?: this(?: article| story| page)?)?(?: on {_SOCIAL})?|{_SOCIAL}"
    rf"(?:\s*[|·•,/]\s*{_SOCIAL})*)[:!.]?$",
    re.IGNORECASE,
)
_READ_MORE = re.compile(
    r"^(?:read more|read also|also read|related(?: articles| stories| coverage| content)?|"
    r"see also|more on this(?: story)?|recommended(?: for you)?|most read|trending(?: now)?|"
    r"watch|listen to (?:this|the) (?:article|story))\b\s*[:.>»-]?",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_COOKIE_CONTEXT = re.compile(
    r"\b(?:accept|consent|we use|this (?:site|website) uses|browser|privacy|settings)\b",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|\ball rights reserved\b|\bmay not be (?:published|reproduced)",
    re.IGNORECASE,
)
_PHOTO_LABEL = re.compile(
    r"^[(\[]?(?:photo|photos|photograph|image|picture|pictures|credit|photo credit|video|"
    r"illustration|graphic)(?:\s+by)?\s*[:：]\s*\S.*$|^[(\[]?(?:photo|image|picture)s? by\s+\S.*$",
    re.IGNORECASE,
)
_CREDIT_SLASH = re.compile(
    r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}\s*/\s*"
    r"(?:[A-Z][\w&'’.-]*)(?:\s+(?:[A-Z][\w&'’.-]*|via|for|of|the))*$"
)
_CREDIT_AGENCY = re.compile(
    r"(?:getty images|associated press|reuters|agence france-presse|afp|epa|shutterstock|"
    r"ap photo)[)\]]?$",
    re.IGNORECASE,
)
_PICTURE_WORDS = re.compile(
    r"^(?:pictured\b|(?:above|top|left|right|from left|from right)\s*[:,]|"
    r"in this (?:file )?(?:photo|image|picture)\b|file photo\b)|"
    r"\((?:pictured|left|right|center|centre|top|above)\)|\((?:ap|afp|reuters)? ?photo\b",
    re.IGNORECASE,
)
# Text of the page around an article rather than of the article: embedded-player and
# social-widget messages, reprint notices, error pages, and the notices web archives print on a capture.
_PAGE_NOTICE = re.compile(
    r"\b(?:tweet with a location|add a location to your tweets|location information to your tweets|"
    r"twitter stores that location|delete your (?:tweet )?location history|"
    r"interactive transcript could not be loaded|when the video has been rented|"
    r"this (?:feature|video|content) is not available right now|media playback is unsupported|"
    r"your browser does not support|(?:please )?enable javascript|"
    r"for your personal,? non-commercial use only|order reprints|presentation-ready copies|"
    r"an error has occurred\. please try again later|could not subscribe|"
    r"the page you (?:requested|are looking for|were looking for) (?:was|is|could) not|"
    r"(?:error 404|404 error|404 page not found))\b",
    re.IGNORECASE,
)
_ARCHIVE_CUE = re.compile(
    r"\b(?:internet archive|wayback (?:machine|team)|archive-it|warcs?|crawls?|crawl data|embargo period|"
    r"web captures|archived pages|broken links|web collections?)\b",
    re.IGNORECASE,
)
_MEDIA_CAPTION = re.compile(r"^(?:image copyright|image caption|media caption)\b", re.I)
# A call to action: the page speaking to its reader (subscribe, sign up, follow, share, download, donate,
# write in), in the languages these patterns know. It counts only where the line addresses the reader.
_CALL_TO_ACTION = re.compile(
    r"\b(?:sign(?:ing|ed)? up|subscrib(?:e|ing)|subscription|log ?in|sign(?:ing)? in|"
    r"follow (?:us|\w+(?: \w+){0,3} on (?:twitter|facebook|instagram|x|tiktok|youtube|linkedin|threads))|"
    r"like us on|send us|e-?mail us|write to us|contact us|share (?:this|it|the story)|donate|donation|"
    r"support (?:us|our)|never miss|don't miss|do not miss|keep an eye on your inbox|check your inbox|"
    r"letters? to the editor|click here|tap here|"
    r"abonnieren|folgen sie uns|abonnez-vous|inscrivez-vous|suivez-nous|suscr[ií]bete|s[ií]guenos)\b"
    r"|\bsubscribers? (?:also )?(?:get|receive|enjoy)\b",
    re.IGNORECASE,
)
_READER = re.compile(
    r"\b(?:you|your|you're|you’re|yours|us|our|we|sie|vous|votre|usted)\b|"
    r"^(?:please |now |)(?:follow|subscribe|sign up|download|get|share|join|donate|submit|like|click|tap|"
    r"register|support|help|never|don't|tell)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(r"\b(?:said|says|told|according to|asked|urged)\b", re.IGNORECASE)
_APP_PROMO = re.compile(
    r"\b(?:download|get|install|try)\b[^.!?]{0,60}\bapps?\b|\b(?:app store|google play|"
    r"(?:for )?ios and android|(?:for )?android and ios|available on the app)\b",
    re.IGNORECASE,
)
_DISCLOSURE = re.compile(
    r"\b(?:we (?:may )?(?:receive|earn|get) (?:a )?(?:small )?(?:compensation|commission)|"
    r"affiliate (?:links?|commissions?)|"
    r"advertiser disclosure|advertising policy|advertisers do not influence|"
    r"(?:this|the) (?:post|article|page|story) (?:contains|may contain|includes) (?:affiliate )?"
    r"(?:links|references to products))\b",
    re.IGNORECASE,
)
_DATE_KEYS = (
    r"last updated|updated|last modified|modified|first published|published|posted|created|release date|news date|date"
)
_FILING_KEYS = r"categories|category|filed under|posted in|tagged|tags|tag|topics|topic|section|keywords"
_KEY_COLON = re.compile(rf"\b(?P<key>{_FILING_KEYS}|{_DATE_KEYS})\s*:", re.IGNORECASE)
_DATE_KEY = re.compile(rf"^(?:{_DATE_KEYS})\b", re.IGNORECASE)
_DATE_STAMP = re.compile(rf"^(?:{_DATE_KEYS})(?:\s+(?:on|at))?\s+(?P<value>\S.*)$", re.IGNORECASE)
_MONTH_WORDS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?|"
    r"fri(?:day)?|sat(?:urday)?|sun(?:day)?"
)
_DATE_TOKEN = re.compile(
    rf"(?:{_MONTH_WORDS})\.?|\d{{1,4}}(?:st|nd|rd|th)?|[ap]\.?m\.?|at|on|of",
    re.IGNORECASE,
)
_ZONE = re.compile(r"[A-Z]{2,4}")
_COMMENTS_WIDGET = re.compile(
    r"^(?:view|show|read|post|leave|add) (?:a |all |the )?comments?$|^\d+ (?:comments?|replies|responses)$",
    re.IGNORECASE,
)
_DOMAIN_LINE = re.compile(r"^(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6}/?$", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")
_OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0400-\u04ff]")  # Greek, Cyrillic
_BIO_VERB = re.compile(r"^\s*(?:is|was|has|writes|covers|reports|joined|serves)\b")
_BIO_NOUN = re.compile(
    r"\b(?:editor|reporter|correspondent|writer|journalist|columnist|contributor|"
    r"author|fellow|analyst|producer|freelance|bureau chief)\b",
    re.IGNORECASE,
)
_BIO_CUE = re.compile(
    r"\b(?:(?:his|her|their) (?:work|writing|reporting|articles?)|years of experience|"
    r"can be reached|follow (?:him|her|them)|is the author of|based in)\b|@\w",
    re.IGNORECASE,
)
_AUTHOR_CONTACT = re.compile(r"\b(?:can|may) be (?:reached|contacted|emailed)\b|\bhave a (?:news )?tip\b", re.I)
_ADDRESS = re.compile(r"(?<![\w.])@\w{2,}|\b[\w.+-]+@[\w-]+\.[\w.]+\b")
_CONTACT = re.compile(
    rf"{_AUTHOR_CONTACT.pattern}|{_ADDRESS.pattern}|\breach (?:him|her|them|me) at\b|"
    r"\b(?:e-?mail|contact|follow|message|write to) (?:him|her|them|me)\b|\bsend (?:him|her|them|us)? ?(?:a )?tips?\b",
    re.IGNORECASE,
)
_UPPER_PLACE = r"[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+){0,3}"
_DATE_BIT = r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
_DASH = r"\s*(?:—|–|--|-|:)\s+"
_DATELINE = re.compile(
    rf"^(?P<place>{_UPPER_PLACE}(?:,\s*(?:{_UPPER_PLACE}|[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?))?)"
    rf"{_DATE_BIT}\s*(?:\((?P<agency>[^()]{{2,40}})\))?{_DASH}(?=\S)"
    rf"|^(?P<place2>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)?)"
    rf"{_DATE_BIT}\s*\((?P<agency2>[^()]{{2,40}})\){_DASH}(?=\S)"
)


def word_count(text: str) -> int:
    """Number of words in ``text``."""
    return len(_WORD.findall(text))


def _norm(text: str) -> str:
    """A comparison key: lower case, words only."""
    return " ".join(_WORD.findall(text.lower()))


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence-final punctuation (quotes allowed)."""
    return bool(_SENTENCE_END.search(text.rstrip()))


def parse_byline(line: str) -> tuple[str, str | None] | None:
    """Return (names, outlet) if ``line`` is a byline such as ``By Jane Roe``."""
    if word_count(line) > 14 or ends_sentence(line):
        return None
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names = match.group("names").strip(" ,")
    outlet = match.group("outlet")
    head, sep, tail = names.rpartition(",")
    if sep and not outlet and _OUTLET_WORD.search(tail):
        names, outlet = head.strip(), tail.strip()
    if names.lower().split()[0] in {
        "the",
        "a",
        "an",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }:
        return None
    return names, outlet


def find_dateline(paragraph: str) -> tuple[str, str | None] | None:
    """Return (place, agency) if the paragraph opens with a dateline."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    place = match.group("place") or match.group("place2")
    agency = match.group("agency") or match.group("agency2")
    if len(place) < 2 or place.upper() in {"A", "I", "AN", "THE"}:
        return None
    return place.strip(), agency.strip() if agency else None


def dateline_length(paragraph: str) -> int:
    """Characters of the dateline that opens the paragraph (``BAGHDAD — ``), or 0."""
    return _DATELINE.match(paragraph).end() if find_dateline(paragraph) else 0  # type: ignore[union-attr]


def is_widget(line: str) -> bool:
    """True for newsletter, share, advert, cookie and "read more" lines."""
    words = word_count(line)
    if words == 0:
        return True
    if words <= 25 and _WIDGET_STRONG.search(line):
        return True
    if words <= 10 and _NEWSLETTER.search(line):
        return True
    if words <= 6 and (_ADVERT.match(line) or _SHARE.match(line)):
        return True
    if words <= 20 and _READ_MORE.match(line) and not ends_sentence(line):
        return True
    return words <= 60 and bool(_COOKIE.search(line)) and bool(_COOKIE_CONTEXT.search(line))


def is_page_notice(line: str) -> bool:
    """True for player, social-widget, reprint and web-archive notices (page text, not article text)."""
    words = word_count(line)
    if words <= 60 and _PAGE_NOTICE.search(line):
        return True
    # An archive notice names several archiving terms; a story about an archive rarely does in one paragraph.
    return words <= 150 and len({m.group(0).lower() for m in _ARCHIVE_CUE.finditer(line)}) >= 3


def is_weak_widget(line: str) -> bool:
    """True for lines that are widgets only when next to a certain widget."""
    return word_count(line) <= 20 and bool(_WIDGET_WEAK.search(line))


def is_credit(line: str) -> bool:
    """True for photo credits: ``Jane Roe/Agency``, ``Photo: …``, ``… Getty Images``."""
    words = word_count(line)
    if words == 0 or words > 14:
        return False
    if _PHOTO_LABEL.match(line):
        return True
    if ends_sentence(line):
        return False
    return bool(_CREDIT_SLASH.match(line)) or (words <= 8 and bool(_CREDIT_AGENCY.search(line)))


def is_copyright(line: str) -> bool:
    """True for copyright footers."""
    return word_count(line) <= 40 and bool(_COPYRIGHT.search(line))


def is_promotion(line: str) -> str | None:
    """Why ``line`` is the page promoting itself, or None.

    ``call to action``: a short line addressing the reader with a sign-up, subscribe, follow, share,
    donate or write-in prompt (not one reported as somebody's words); ``app promotion``; ``disclosure``
    of affiliate links or advertisers; ``disguised advertising``: words that mix Latin letters with
    Cyrillic or Greek look-alikes, which no language's spelling does.
    """
    words = word_count(line)
    if words == 0:
        return None
    if words <= 60 and _CALL_TO_ACTION.search(line) and _READER.search(line) and not _REPORTED.search(line):
        return "call to action"
    if words <= 40 and _APP_PROMO.search(line) and not _REPORTED.search(line):
        return "app promotion"
    if words <= 80 and _DISCLOSURE.search(line):
        return "disclosure"
    tokens = line.split()
    mixed = sum(1 for t in tokens if _LATIN.search(t) and _OTHER_SCRIPT.search(t))
    if mixed >= 3 and mixed >= 0.2 * len(tokens):
        return "disguised advertising"
    return None


def is_stamp(line: str) -> bool:
    """True for a page's date and filing stamps: ``Updated at 1:23 p.m.``, ``Category: News | 3 comments``.

    The line must be made only of such parts (separated by ``|`` or ``·``, or each opening with its key
    and a colon): a date key with a date or nothing, a filing key with a short value, a bare date, a
    comments link.
    """
    if word_count(line) > 25 or (ends_sentence(line) and not re.search(r"\b[ap]\.m\.$", line, re.I)):
        return False
    parts = [p.strip(" -") for p in re.split(r"\s*[|·•]\s*", line.strip(" -|"))]
    stamped = False
    for part in filter(None, parts):
        keys = list(_KEY_COLON.finditer(part))
        if not keys:
            stamp = _DATE_STAMP.match(part)
            if stamp and _is_date_only(stamp.group("value")):
                stamped = True
            elif not (_is_date_only(part) and re.search(r"\d", part)) and not _COMMENTS_WIDGET.match(part):
                return False
            continue
        head = part[: keys[0].start()].strip()
        if head and not _is_date_only(head):
            return False
        for key, nxt in itertools.zip_longest(keys, keys[1:]):
            value = part[key.end() : nxt.start() if nxt else len(part)].strip(" ,;")
            if _DATE_KEY.match(key.group("key")):
                if value and not _is_date_only(value):
                    return False
            elif word_count(value) > 8 or ends_sentence(value):
                return False
        stamped = True
    return stamped or len([p for p in parts if p]) > 1


def _is_date_only(text: str) -> bool:
    """True when every word of ``text`` belongs to a date or a time (``March 4, 2013 at 10:29 a.m. EST``)."""
    tokens = [t for t in re.split(r"[\s,/:+-]+", text) if t]
    return bool(tokens) and all(_DATE_TOKEN.fullmatch(t.rstrip(".")) or _ZONE.fullmatch(t) for t in tokens)


def is_domain_line(line: str) -> bool:
    """True for a line that is only a site's address (``EXAMPLE.COM``): a source credit, not a sentence."""
    return bool(_DOMAIN_LINE.match(line.strip()))


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Options of the cleaning stage.

    ``unwrap``: join hard-wrapped lines (plain text); off for sources whose
    lines are paragraphs (HTML, feeds). ``detect_header``: take title,
    subtitle and ``Key: value`` lines from the top of the text.
    """

    unwrap: bool = True
    detect_header: bool = True


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The clean body of one article and the metadata found while cleaning."""

    text: MappedText
    paragraphs: tuple[tuple[int, int], ...]
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    dateline: str | None = None
    outlet: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    removed: tuple[tuple[str, str], ...] = ()  # (kind, text)


@dataclass
class _Line:
    text: MappedText
    blank_before: int  # blank lines before it
    kind: str | None = None  # why it is removed; None keeps it

    @property
    def s(self) -> str:
        return self.text.text


# --------------------------------------------------------------------------- passes


def _split_lines(text: MappedText) -> list[_Line]:
    lines: list[_Line] = []
    blanks = 0
    for raw in text.lines():
        line = raw.strip()
        if not line.text:
            blanks += 1
            continue
        lines.append(_Line(line, blanks))
        blanks = 0
    return lines


def _looks_like_heading(line: str, max_words: int) -> bool:
    words = word_count(line)
    if words == 0 or words > max_words or len(line) > 250:
        return False
    if not line[0].isupper() and not line[0].isdigit():
        return False
    if _TERMINAL.search(line) and not re.search(r"[?!][\"”’']?$", line):
        return False
    return find_dateline(line + " x") is None and parse_byline(line) is None


def _read_header(lines: list[_Line], opts: CleanOptions, known: dict[str, str | None]) -> dict[str, str]:
    """Mark metadata, title, subtitle and byline lines at the top; return what they say."""
    found: dict[str, str] = {}
    i = 0
    if opts.detect_header:
        while i < len(lines) and (m := _HEADER.match(lines[i].s)) and word_count(lines[i].s) <= 40:
            key = m.group("key").lower()
            found.setdefault(key, m.group("value").strip())
            lines[i].kind = "metadata"
            i += 1
    title = known.get("title") or found.get("title") or found.get("headline")
    if title:
        # A reader that knows the title (HTML, JSON) often gets it again as the first line.
        key = _norm(title)
        for line in lines[i : i + 3]:
            # Drop a repeated title, unless it is all the text there is (a title-only record).
            if line.kind is None and _norm(line.s) == key and len(lines) > i + 1:
                line.kind = "title"
                break
    elif opts.detect_header and i < len(lines) - 1:
        first, nxt = lines[i], lines[i + 1]
        if nxt.blank_before and _looks_like_heading(first.s, 25) and not is_page_notice(first.s):
            found["title"] = first.s
            first.kind = "title"
            i += 1
            if i < len(lines) - 1 and lines[i + 1].blank_before and _looks_like_heading(lines[i].s, 40):
                found["subtitle"] = lines[i].s
                lines[i].kind = "subtitle"
                i += 1
    return found


def _mark_lines(
    lines: list[_Line], known_byline: str | None, *, blocks_matter: bool, captions: frozenset[str] | None
) -> dict[str, str]:
    """Mark widget, credit, caption, byline and footer lines; return byline metadata.

    ``captions``: the comparison keys of a page's picture texts (captions, alt texts, credits), or None
    where the source has no markup. On a page, a line that only looks like a credit is one when the page
    shows it by a picture.
    """
    meta: dict[str, str] = {}
    for idx, line in enumerate(lines):
        if line.kind:
            continue
        text = line.s
        byline = parse_byline(text)
        if byline:
            line.kind = "byline"
            meta.setdefault("byline", byline[0])
            if byline[1]:
                meta.setdefault("outlet", byline[1])
        elif is_widget(text):
            line.kind = "widget"
        elif is_page_notice(text):
            line.kind = "notice"
        elif promotion := is_promotion(text):
            line.kind = promotion
        elif is_stamp(text):
            line.kind = "stamp"
        elif is_domain_line(text) or (
            is_credit(text) and (captions is None or _PHOTO_LABEL.match(text) or _norm(text) in captions)
        ):
            line.kind = "credit"
        elif is_copyright(text):
            line.kind = "copyright"
        elif known_byline and _norm(text) == _norm(known_byline) and idx < 6:
            line.kind = "byline"
    # weak widget words count only beside a certain widget
    for idx, line in enumerate(lines):
        if line.kind is None and is_weak_widget(line.s):
            near = lines[max(0, idx - 2) : idx + 3]
            if any(other.kind == "widget" for other in near):
                line.kind = "widget"
    _mark_captions(lines, blocks_matter=blocks_matter, captions=captions)
    return meta


def _reads_as_lead(text: str) -> bool:
    """A full sentence of reporting, not a picture's caption: long, closed by a full stop, no picture words."""
    stripped = text.strip()
    return word_count(stripped) >= 15 and stripped.endswith((".", '."', ".”")) and not _PICTURE_WORDS.search(stripped)


def _mark_captions(lines: list[_Line], *, blocks_matter: bool, captions: frozenset[str] | None) -> None:
    """Captions: lines printed twice near the top, lines beside a credit, picture lines, a page's picture texts.

    A line beside a credit is a caption only in plain text, where a caption and
    its credit form a block of their own; where every line is a paragraph
    (HTML, feeds) the neighbours of a credit are body text. On a page, a line
    that is (or opens with) the text the page shows by a picture is a caption.
    """
    if captions:
        for line in lines:
            if line.kind is None and word_count(line.s) <= 60 and _is_picture_text(_norm(line.s), captions):
                line.kind = "caption"
    top = [ln for ln in lines[:14] if ln.kind is None or ln.kind == "caption"]
    counts: dict[str, int] = {}
    for line in top:
        key = _norm(line.s)
        if word_count(line.s) >= 4:
            counts[key] = counts.get(key, 0) + 1
    repeated = {k for k, n in counts.items() if n > 1}
    kept: set[str] = set()
    for line in lines[:14]:
        key = _norm(line.s)
        if line.kind is None and key in repeated:
            if key not in kept and _reads_as_lead(line.s):
                kept.add(key)  # a lead the page prints twice (standfirst and first paragraph): keep it once
                continue
            line.kind = "caption"
    for idx, line in enumerate(lines):
        if line.kind != "credit" or not blocks_matter:
            continue
        for j in (idx - 1, idx + 1):
            if 0 <= j < len(lines) and lines[j].kind is None and word_count(lines[j].s) <= 60:
                # Only a neighbour in the same block (no blank line between).
                same_block = lines[max(idx, j)].blank_before == 0
                if same_block:
                    lines[j].kind = "caption"
    for line in lines:
        if line.kind is None and word_count(line.s) <= 40 and _PICTURE_WORDS.search(line.s):
            line.kind = "caption"
        elif line.kind is None and word_count(line.s) <= 60 and _MEDIA_CAPTION.match(line.s):
            line.kind = "caption"  # "Image copyright AFP Image caption …": a picture's credit and caption on one line


def _is_picture_text(key: str, captions: frozenset[str]) -> bool:
    """True when ``key`` is a picture's text, or a picture's text with its credit after it."""
    if key in captions:
        return True
    return any(len(c) >= 20 and c.count(" ") >= 3 and key.startswith(c + " ") for c in captions)


def _paragraphs(lines: list[_Line], unwrap: bool) -> list[MappedText]:
    """Group kept lines into paragraphs, unwrapping hard wraps."""
    blocks: list[list[_Line]] = []
    for line in lines:
        if line.kind:
            continue
        if not blocks or line.blank_before:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    paragraphs: list[MappedText] = []
    for block in blocks:
        paragraphs.extend(_unwrap_block(block, unwrap))
    return _rejoin_page_breaks(paragraphs)


def _unwrap_block(block: list[_Line], unwrap: bool) -> list[MappedText]:
    texts = [line.s for line in block]
    width = max(len(t) for t in texts)
    # Hard-wrapped text breaks lines mid-sentence; text whose every line ends a
    # sentence has one paragraph per line.
    wrapped = unwrap and len(block) > 1 and width <= 130 and any(not _TERMINAL.search(t) for t in texts[:-1])
    out: list[list[MappedText]] = [[block[0].text]]
    for prev, line in itertools.pairwise(block):
        prev_text = prev.s
        if wrapped:
            join = not _TERMINAL.search(prev_text) or len(prev_text) >= 0.7 * width
        else:
            join = not _TERMINAL.search(prev_text) and line.s[:1].islower()
        if join:
            out[-1].append(line.text)
        else:
            out.append([line.text])
    return [_join_wrapped(parts) for parts in out]


def _join_wrapped(parts: list[MappedText]) -> MappedText:
    """Join wrapped lines: with a space, or with nothing after a hyphenated break."""
    if len(parts) == 1:
        return parts[0]
    pieces: list[MappedText] = [parts[0]]
    for part in parts[1:]:
        prev = pieces[-1]
        if re.search(r"[A-Za-z]-$", prev.text) and part.text[:1].islower():
            pieces[-1] = MappedText.join([prev, part], "")
        else:
            pieces[-1] = MappedText.join([prev, part], " ")
    return pieces[0]


def _rejoin_page_breaks(paragraphs: list[MappedText]) -> list[MappedText]:
    """Rejoin a sentence split across paragraphs by a page break."""
    out: list[MappedText] = []
    for para in paragraphs:
        if out and not _TERMINAL.search(out[-1].text) and para.text[:1].islower() and word_count(out[-1].text) >= 3:
            out[-1] = MappedText.join([out[-1], para], " ")
        else:
            out.append(para)
    return out


def _drop_bios(paragraphs: list[MappedText], byline: str | None) -> tuple[list[MappedText], list[str]]:
    """Drop author bios among the last paragraphs."""
    removed: list[str] = []
    names: list[str] = []
    if byline:
        for name in re.split(r"\s*(?:,|\band\b|&)\s*", byline):
            tokens = name.split()
            if tokens:
                names.append(name.strip())
                names.append(tokens[-1])
    keep = list(paragraphs)
    for idx in range(len(keep) - 1, max(len(keep) - 4, 0) - 1, -1):
        text = keep[idx].text
        is_bio = False
        for name in names:
            if text.startswith(name) and _BIO_VERB.match(text[len(name) :]):
                is_bio = bool(_BIO_NOUN.search(text) or _BIO_CUE.search(text))
                break
        if not is_bio and idx == len(keep) - 1:
            match = re.match(r"^[A-Z][a-z'’-]+(?: [A-Z]\.)?(?: [A-Z][a-z'’-]+){1,2}(?= )", text)
            if match and _BIO_VERB.match(text[match.end() :]):
                is_bio = bool(_BIO_NOUN.search(text) and _BIO_CUE.search(text))
        if not is_bio and word_count(text) <= 80:
            # The author's contact lines: a tip line, an address, a handle, with the author named
            # (or, with no byline known, a reporter's "can be reached" or "have a tip" and an address).
            named = any(len(n) >= 3 and re.search(rf"\b{re.escape(n)}\b", text) for n in names)
            is_bio = bool(_CONTACT.search(text)) and (
                named or bool(_AUTHOR_CONTACT.search(text) and _ADDRESS.search(text))
            )
        if is_bio:
            removed.append(text)
            del keep[idx]
    return keep, removed


# --------------------------------------------------------------------------- entry point


def clean_text(
    source: str | MappedText,
    options: CleanOptions | None = None,
    *,
    title: str | None = None,
    byline: str | None = None,
    captions: Iterable[str] | None = None,
) -> Cleaned:
    """Clean one article's text; ``title``/``byline`` are what the reader already knows.

    ``captions``: the texts a page shows by its pictures (captions, alt texts, credits), from a reader
    that has the page's markup; None for sources without it.
    """
    opts = options or CleanOptions()
    picture_texts = None if captions is None else frozenset(k for c in captions if (k := _norm(c)))
    text = source if isinstance(source, MappedText) else MappedText.from_source(source)
    text = normalize_characters(text)
    lines = _split_lines(text)
    headers = _read_header(lines, opts, {"title": title})
    meta = _mark_lines(lines, byline, blocks_matter=opts.unwrap, captions=picture_texts)
    paragraphs = _paragraphs(lines, opts.unwrap)

    found_byline = byline or meta.get("byline") or headers.get("author") or headers.get("byline")
    paragraphs, bios = _drop_bios(paragraphs, found_byline)

    dateline = outlet = None
    if paragraphs:
        found = find_dateline(paragraphs[0].text)
        if found:
            dateline, outlet = found
    outlet = (
        headers.get("source")
        or headers.get("outlet")
        or headers.get("publication")
        or headers.get("publisher")
        or meta.get("outlet")
        or outlet
    )

    body = MappedText.join(paragraphs, "\n\n")
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in paragraphs:
        spans.append((pos, pos + len(para)))
        pos += len(para) + 2
    removed = tuple((ln.kind, ln.s) for ln in lines if ln.kind) + tuple(("bio", b) for b in bios)
    return Cleaned(
        text=body,
        paragraphs=tuple(spans),
        title=headers.get("title") or headers.get("headline"),
        subtitle=headers.get("subtitle"),
        byline=found_byline,
        dateline=dateline,
        outlet=outlet,
        headers=headers,
        removed=removed,
    )
