"""Temporal expressions: finding them and resolving them against an article's date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from storybrief.evaluation import time_case
from storybrief.text.temporal import find_times, normalise, text_date, value_of

CASES = Path(__file__).resolve().parent / "data" / "timex_cases.jsonl"
FRESH = CASES.with_name("timex_cases_fresh.jsonl")
MONDAY = dt.date(2013, 3, 4)


def _cases(path: Path = CASES) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_case_file_is_large_and_well_formed() -> None:
    cases = _cases()
    assert len(cases) >= 100
    traps = [c for c in cases if c["expected"] is None and c.get("relative") is None]
    undated = [c for c in cases if c["date"] is None]
    assert len(traps) >= 5 and len(undated) >= 10
    for case in cases:
        assert str(case["expression"]) in str(case["sentence"]), case


@pytest.mark.parametrize("path", [CASES, FRESH], ids=["cases", "fresh"])
def test_normalisation_accuracy_on_the_cases_is_at_least_095(path: Path) -> None:
    results = [time_case(c) for c in _cases(path)]
    wrong = [(r.sentence, r.expected or r.relative, r.got or r.got_relative) for r in results if not r.ok]
    assert 1 - len(wrong) / len(results) >= 0.95, wrong


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("The gunmen struck on Monday.", MONDAY, "2013-03-04"),  # the article's own day
        ("The gunmen struck on Tuesday.", MONDAY, "2013-02-26"),  # the most recent one before it
        ("The envoy will arrive on Tuesday.", MONDAY, "2013-03-05"),  # future: the next one
        ("The talks collapsed last Monday.", MONDAY, "2013-02-25"),  # "last": strictly before
        ("The border closed over the weekend.", MONDAY, "2013-03-02/2013-03-03"),
        ("The group claimed it last week.", dt.date(2013, 3, 11), "2013-03-04/2013-03-10"),
        ("The uprising began two years ago this month.", MONDAY, "2011-03"),
        ("The blockade has lasted since December.", MONDAY, "2012-12-01/2013-03-04"),
        ("It happened on Dec. 3.", MONDAY, "2012-12-03"),  # month-day without a year: the latest one
        ("The summit opens on Friday.", MONDAY, "2013-03-08"),  # a scheduled event in the present tense
        ("By 2030, the plant will close.", MONDAY, "2030"),  # a fronted expression takes the next clause's tense
        # a month with no year in a clause with no tense: the coming one when it is weeks ahead, else the last
        ("A cut in the Kessa quota in April.", MONDAY, "2013-04"),
        ("A cut in the Kessa quota in December.", MONDAY, "2012-12"),
        ("Arrivals at Lake Orlen since April.", MONDAY, "2012-04-01/2013-03-04"),
        ("The two ministers meet in Kessa on Friday.", MONDAY, "2013-03-08"),  # a plural subject's schedule
        # "plans to" as a verb points ahead, as a noun it does not
        ("In April, the ferry line announced plans to add a route to Kessa.", MONDAY, "2012-04"),
        ("In April, the ferry line plans to add a route to Kessa.", MONDAY, "2013-04"),
        # "this summer": the summer of the report's year, before or after it
        ("Pledges to join the Kessa protests this summer.", MONDAY, "2013-06-01/2013-08-31"),
        ("The ferries ran this summer.", dt.date(2013, 10, 2), "2013-06-01/2013-08-31"),
        # a bare month after "for", after "a" before its noun, or with its own figures
        ("Ferry traffic for February fell by a tenth.", MONDAY, "2013-02"),
        ("The ferry union signed a January accord with Kessa.", MONDAY, "2013-01"),
        ("Kessa's port counted October's sailings twice.", MONDAY, "2012-10"),
        # a year after a determiner and a word describing it, before a singular noun
        ("Her failed 2011 bid for the Kessa seat.", MONDAY, "2011"),
        # a deadline months ahead, unless its clause is past
        ("The line has a loan to repay by June.", MONDAY, "2013-06"),
        ("The line was told to repay the loan by June.", MONDAY, "2012-06"),
    ],
)
def test_calendar_rules(sentence: str, anchor: dt.date, expected: str) -> None:
    found = find_times(sentence, anchor)
    assert [t.value for t in found] == [expected]


def test_a_number_before_a_plural_after_describing_words_may_count() -> None:
    assert find_times("The remaining 2000 ferries sailed.", MONDAY) == []


def test_may_with_its_own_figures_is_a_name_as_often_as_a_month() -> None:
    assert find_times("Ilse May's figures lifted the total.", MONDAY) == []


def test_without_an_anchor_relative_expressions_stay_relative() -> None:
    found = find_times("They fled on Friday, two days before the attack on Monday, and in 2011 too.", None)
    assert [(t.as_written, t.value, t.relative) for t in found] == [
        ("Friday", None, "Friday"),
        ("two days before", None, "two days before"),  # a length counted from the attack: no date of its own
        ("Monday", None, "Monday"),
        ("2011", "2011", None),
    ]


def test_centuries_are_background_not_event_dates() -> None:
    t = normalise("the dynasty that ruled Iran from the 16th to 18th centuries", MONDAY)
    assert t is not None and t.historical and t.value == "1501-01-01/1800-12-31"


@pytest.mark.parametrize(
    "sentence",
    [
        "The Sunday Times reported the raid.",
        "The fall of the city would be a blow.",
        "Officials said the talks may resume.",
        "More than 2,000 people fled.",
        "A three-year-old boy was among the dead.",
        "Kessa earns $500 a week.",
    ],
)
def test_traps_are_not_dates(sentence: str) -> None:
    assert find_times(sentence, MONDAY) == []


def test_a_length_of_time_is_a_duration_that_dates_nothing() -> None:
    (siege,) = find_times("The siege lasted for three weeks.", MONDAY)
    assert (siege.type, siege.timex, siege.first, siege.dates) == ("DURATION", "P3W", None, False)
    found = find_times("For nearly two years the port has been shut, and talks resume every Monday.", MONDAY)
    assert [(t.type, t.timex) for t in found] == [("DURATION", "P2Y"), ("SET", "XXXX-WXX-1")]
    assert [(t.type, t.timex) for t in find_times("Kessa is now in charge.", MONDAY)] == [("DATE", "PRESENT_REF")]


def test_value_of_writes_days_months_years_and_ranges() -> None:
    assert value_of(dt.date(2013, 3, 4), dt.date(2013, 3, 4)) == "2013-03-04"
    assert value_of(dt.date(2013, 3, 1), dt.date(2013, 3, 31)) == "2013-03"
    assert value_of(dt.date(2011, 1, 1), dt.date(2011, 12, 31)) == "2011"
    assert value_of(dt.date(2013, 3, 2), dt.date(2013, 3, 3)) == "2013-03-02/2013-03-03"
    assert value_of(None, None) is None


def test_text_date_takes_a_full_date_and_ignores_background_years() -> None:
    assert text_date("The vote on March 4, 2013, ended a war that began in 2011.") == dt.date(2013, 3, 4)
    assert text_date("Militants seized the post in June 2014.") == dt.date(2014, 6, 15)
    assert text_date("The occupation ended in 2011; the dynasty ruled in the 16th century.") is None


def test_a_part_of_a_month_written_with_a_capital_opening_a_sentence() -> None:
    import datetime as dt

    from storybrief.text.temporal import find_times

    found = find_times("Early June, the plan started. He left in Late March.", dt.date(2026, 7, 2))
    assert [(t.as_written, t.first, t.last) for t in found] == [
        ("Early June", dt.date(2026, 6, 1), dt.date(2026, 6, 10)),
        ("Late March", dt.date(2026, 3, 21), dt.date(2026, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("sentence", "expression", "kind", "timex"),
    [
        ("The ferry sank on Friday.", "Friday", "DATE", "2013-03-01"),
        ("Talks stalled last week.", "last week", "DATE", "2013-W09"),
        ("The dam was finished in June.", "June", "DATE", "2012-06"),
        ("The mine closed in 2011.", "2011", "DATE", "2011"),
        ("Kessa grew fast in the 1990s.", "1990s", "DATE", "199"),
        ("The fort dates from the 18th century.", "18th century", "DATE", "17"),
        ("Floods hit Lake Orlen last summer.", "last summer", "DATE", "2012-SU"),
        ("The market was shut over the weekend.", "over the weekend", "DATE", "2013-W09-WE"),
        ("Prices rose in the past three years.", "the past three years", "DURATION", "P3Y"),
        ("Prices rose in recent weeks.", "recent weeks", "DURATION", "PXW"),  # the stretch it rose in
        ("The recent weeks' gains held.", "recent weeks", "DATE", "PAST_REF"),
        ("Kestrel lost money for the year ended June 30.", "year", "DURATION", "P1Y"),  # not the calendar year
        ("The fiscal year to March was hard.", "fiscal year", "DURATION", "P1Y"),
        ("Lake Orlen has shrunk over two decades.", "two decades", "DURATION", "P20Y"),
        ("The fort stood for centuries.", "centuries", "DURATION", "PXC"),
        ("Kestrel paid 90 days after the sale.", "90 days", "DURATION", "P90D"),  # a length from another event
        ("A few days later, Halvard resigned.", "A few days", "DURATION", "PXD"),
        ("Brenner was freed an hour later.", "an hour", "DURATION", "PT1H"),
        ("Halvard and Ada Okafor were planning to meet on Friday.", "Friday", "DATE", "2013-03-08"),
        ("The strike ended yesterday morning.", "yesterday morning", "TIME", "2013-03-03TMO"),
        ("Halvard spoke two weeks ago.", "two weeks ago", "DATE", "2013-W08"),
    ],
)
def test_every_expression_has_its_timeml_type_and_value(sentence: str, expression: str, kind: str, timex: str) -> None:
    at = sentence.index(expression)
    (hit,) = [t for t in find_times(sentence, MONDAY) if t.start < at + len(expression) and at < t.end]
    assert (hit.type, hit.timex) == (kind, timex)


def test_timex_scoring_pairs_each_expression_once_and_scores_spans_and_values() -> None:
    from storybrief.evaluation import Timex, timex_score

    gold = [Timex(0, 6, "DATE", "2013-03-01"), Timex(10, 20, "DATE", "2013-W09"), Timex(30, 35, "DURATION", "P3Y")]
    found = [
        Timex(0, 6, "DATE", "2013-03-01"),  # same span, same value
        Timex(12, 20, "DATE", "2013-W10"),  # overlaps, wrong value
        Timex(8, 11, "DATE", "2013"),  # overlaps the same gold less: spurious
        Timex(40, 44, "DATE", "2012"),  # overlaps nothing: spurious
    ]
    score = timex_score(gold, found)
    assert (score.gold, score.found, score.relaxed, score.strict, score.right) == (3, 4, 2, 1, 1)
    assert [f.start for _, f in score.pairs] == [0, 12]
    assert [g.start for g in score.missed] == [30] and {f.start for f in score.spurious} == {8, 40}
    precision, recall, f1 = score.relaxed_prf
    assert (precision, recall) == (0.5, 2 / 3) and f1 == pytest.approx(4 / 7)
    assert score.value_accuracy == 0.5 and score.value_f1 == pytest.approx(2 / 7)
    assert (score + score).relaxed == 4


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The pact was signed in nineteen ninety-six.", [("nineteen ninety-six", "1996", True)]),
        ("The 1998 accord held.", [("1998", "1998", True)]),
        ("In 2000 voters chose Halvard.", [("2000", "2000", True)]),
        ("The depot sits some 1800 metres up.", []),  # a measure, not a year
        ("The dividend is payable April 2.", [("April 2", "2013-04-02", True)]),  # weeks ahead, no tense: next
        ("The strike ended at 3 p.m.", [("3 p.m.", "2013-03-04T15:00", False)]),  # a time with no day dates nothing
        ("Sales rose 5% in the quarter.", [("quarter", "2012-Q4", False)]),  # the period a report is on
        ("Profit for the year rose.", [("year", "2013", False)]),
        ("Kessa told Good Morning Today that it was over.", []),  # a programme's name
        ("Now, the port is open again.", []),  # a word that turns the story
        ("The port is now open.", [("now", "PRESENT_REF", False)]),
    ],
)
def test_years_in_words_and_alone_periods_and_times_of_day(
    sentence: str, expected: list[tuple[str, str, bool]]
) -> None:
    assert [(t.as_written.removeprefix("the "), t.timex, t.dates) for t in find_times(sentence, MONDAY)] == expected


def test_a_year_earlier_is_the_quarter_named_before_it_a_year_back() -> None:
    from storybrief.text.temporal import find_document_times

    text = "Kestrel earned $5 million in the fourth quarter. That compares with $3 million a year earlier."
    found = find_document_times(text, [(0, 48), (49, len(text))], MONDAY)
    assert [(text[t.start : t.end], t.timex) for t in found] == [
        ("fourth quarter", "2012-Q4"),
        ("a year earlier", "2011-Q4"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # each clause has its own tense: the arrest is past, the hearing ahead
        ("Brenner was arrested on Monday and will appear in court on Friday.", ["2013-03-04", "2013-03-08"]),
        ("Kessa said on Tuesday that the port would reopen.", ["2013-03-05"]),  # the saying is on Tuesday
        ("The rebels planned a march on Saturday.", ["2013-03-09"]),  # a plan: ahead of the report
        ("The envoy could arrive as early as Thursday.", ["2013-03-07"]),
        ("The ballot had been set to close March 9.", ["2013-03-09"]),  # a plan in the past tense: the nearest
        ("The union said it would strike by March 1.", ["2013-03-01"]),  # a plan's date just passed
        ("Talks resume Monday in Orlen.", ["2013-03-11"]),
        ("Kestrel will add buses between Orlen and Kessa by August.", ["2013-08"]),
        ("Kestrel expects to report a fourth-quarter loss.", ["2012-Q4"]),  # the quarter just ended, not the next
        ("Kessa said it would appeal Friday's ruling.", ["2013-03-01"]),  # a day that names a past event
        # a deadline a past verb set is still ahead: weeks ahead, not most of a year back
        ("Kestrel extended its offer until 5 p.m. March 20.", ["2013-03-20T17:00"]),
        ("The court gave Brenner until April 2 to appeal.", ["2013-04-02"]),
        ("The strike lasted until March 1.", ["2013-03-01"]),
        ("Troops crossed on March 20.", ["2012-03-20"]),  # a past event with no deadline: last year
    ],
)
def test_the_tense_of_a_clause_plans_and_deadlines(sentence: str, expected: list[str]) -> None:
    assert [t.timex for t in find_times(sentence, dt.date(2013, 3, 6))] == expected


def test_ranges_lengths_and_holidays_as_timeml_marks_them() -> None:
    wednesday = dt.date(2013, 3, 6)
    (span,) = find_times("Output fell between 2004 and 2007.", wednesday)
    assert [(v, "Output fell between 2004 and 2007."[a:b]) for a, b, _, v in span.timexes()] == [
        ("2004", "2004"),
        ("2007", "2007"),
    ]
    found = find_times("After ten years of drought, notes due 2019 and the firm's 2011 results fell.", wednesday)
    assert [t.timex for t in found] == ["P10Y", "2019", "2011"]
    found = find_times("The ferry sank on Thanksgiving Day and the port will stay shut until Easter.", wednesday)
    assert [t.timex for t in found] == ["2012-11-22", "2013-03-31"]
    assert find_times("They signed the Good Friday agreement and put up a Christmas tree.", wednesday) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Kestrel aims to finish by the end of the month.", [("DATE", "2013-03")]),
        ("The deal should close by year-end.", [("DATE", "2013")]),
        ("Halvard left at the beginning of February.", [("DATE", "2013-02")]),
        ("Sales were flat through January.", [("DATE", "2013-01")]),
        ("Kessa cited the February handover of the port.", [("DATE", "2013-02")]),
        ("Halvard's one-day trip ended.", [("DURATION", "P1D")]),  # a length before a noun
        (
            "The crews worked for 2 1/2 years and then 5 1/2 hours more.",
            [("DURATION", "P2Y6M"), ("DURATION", "PT5H30M")],
        ),
        ("The vote took an hour and a half.", [("DURATION", "PT1H30M")]),  # a fraction in the next smaller unit
        ('Brenner said on "Next Week" With Ada Okafor that it held.', []),  # a programme's name
        ('"Today Kestrel Air flies again," Brenner said.', [("DATE", "2013-03-04")]),  # a quotation opening with it
        ("The party daily Orlen Courier printed it.", []),  # a newspaper
        ("Kestrel earned $8 million, compared with $6 million last year.", [("DATE", "2012")]),
    ],
)
def test_parts_of_periods_months_named_before_a_noun_and_names_that_are_not_times(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(t.type, t.timex) for t in find_times(sentence, MONDAY)] == expected


def test_last_year_in_a_comparison_of_results_is_the_same_quarter_a_year_back() -> None:
    from storybrief.text.temporal import find_document_times

    text = "Kestrel lost $2 million in the fourth quarter. It earned $3 million, compared with $1 million last year."
    found = find_document_times(text, [(0, 46), (47, len(text))], MONDAY)
    assert [t.timex for t in found] == ["2012-Q4", "2011-Q4"]
