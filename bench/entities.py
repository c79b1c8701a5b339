"""Entity linking: pairwise precision and recall of alias merges against gold groups.

Runs on any annotated set in the gold.json format: a folder of articles with a
``gold.json`` whose ``entities`` list groups aliases (``must_not_merge_with``
lists are checked too). Without arguments it scores the seeds in
../shared/seeds and the bundled fictional examples.

    python bench/entities.py [FOLDER ...] [--gold FILE] [--json OUT]

Target on the seeds (issue 3): precision >= 0.95, recall >= 0.90.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_SETS = [
    (ROOT.parent / "shared" / "seeds", ROOT.parent / "shared" / "seeds" / "gold.json"),
    (ROOT / "examples", ROOT / "tests" / "data" / "examples_gold.json"),
]


def score_set(folder: Path, gold_path: Path) -> dict[str, object]:
    """Ingest, parse and link one folder; score against its gold entity groups."""
    from storybrief import ingest  # noqa: PLC0415
    from storybrief.briefing.entities import link_entities  # noqa: PLC0415
    from storybrief.evaluation import entity_pair_score  # noqa: PLC0415
    from storybrief.text.nlp import NlpOptions, parse  # noqa: PLC0415

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    start = time.perf_counter()
    corpus = ingest([str(folder)])
    parsed = parse(corpus, NlpOptions(annotations=("tokens", "entities")))
    entities = link_entities(parsed)
    seconds = time.perf_counter() - start
    score = entity_pair_score(gold.get("entities", []), entities)
    return {
        "set": folder.name,
        "articles": len(corpus),
        "entities": len(entities),
        "gold_pairs": score.gold_pairs,
        "predicted_pairs": score.predicted_pairs,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "missing_aliases": list(score.missing_aliases),
        "forbidden_merges": [list(p) for p in score.forbidden_merges],
        "wrong_pairs": [list(p) for p in score.wrong_pairs],
        "missed_pairs": [list(p) for p in score.missed_pairs],
        "seconds": seconds,
    }


def score_events(folder: Path, predicted_stories: bool) -> dict[str, object]:
    """An ``events_dev``-style folder: each story's articles linked together, alias pairs pooled over stories.

    With ``predicted_stories`` the stories are storybrief's own clusters (each gold story is
    scored on the predicted story holding most of its articles).
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from datasets import load_events  # noqa: PLC0415
    from storybrief.briefing.entities import link_entities  # noqa: PLC0415
    from storybrief.cluster import cluster  # noqa: PLC0415
    from storybrief.evaluation import entity_pair_score  # noqa: PLC0415
    from storybrief.text.nlp import NlpOptions, parse  # noqa: PLC0415

    start = time.perf_counter()
    events = load_events(folder)
    parsed = parse(events.articles, NlpOptions(annotations=("tokens", "entities")))
    by_id = {p.article.id: p for p in parsed}
    groups: dict[str, list[dict[str, object]]] = {}
    for e in events.gold["entities"]:  # type: ignore[union-attr]
        groups.setdefault(str(e["story"]), []).append(e)
    found = cluster(events.articles) if predicted_stories else []
    true = predicted = gold_pairs = 0
    wrong: list[object] = []
    missed: list[object] = []
    for story in events.gold["stories"]:  # type: ignore[union-attr]
        members = list(story["documents"])
        if predicted_stories:
            best = max(found, key=lambda s: len(set(s.articles) & set(members)))
            members = list(best.articles)
        score = entity_pair_score(groups.get(story["id"], []), link_entities([by_id[m] for m in members]))
        true += score.true_pairs
        predicted += score.predicted_pairs
        gold_pairs += score.gold_pairs
        wrong += [(story["id"], *p) for p in score.wrong_pairs]
        missed += [(story["id"], *p) for p in score.missed_pairs]
    precision = true / predicted if predicted else 1.0
    recall = true / gold_pairs if gold_pairs else 1.0
    return {
        "set": f"{folder.name} ({'predicted' if predicted_stories else 'gold'} stories)",
        "articles": len(events.articles),
        "entities": sum(len(v) for v in groups.values()),
        "gold_pairs": gold_pairs,
        "predicted_pairs": predicted,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "missing_aliases": [],
        "forbidden_merges": [],
        "wrong_pairs": wrong,
        "missed_pairs": missed,
        "seconds": time.perf_counter() - start,
    }


_FUNCTION_WORDS = frozenset({"of", "the", "and", "de", "for", "in", "on", "al", "el", "la", "du", "von", "van", "&"})
_PRONOUNS = frozenset({"He", "She", "It", "They", "We", "I", "You", "His", "Her", "Their", "Its", "This", "That"})


def _proper_name(text: str) -> bool:
    """A mention written as a capitalised name (every content word capitalised, not a pronoun)."""
    words = text.replace("'s", "").split()
    bare = re.sub(r"['’](?:s|m|re|ll|d|ve)$", "", text)  # "She's", "I'm": a pronoun with its verb
    if not words or bare in _PRONOUNS or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in _FUNCTION_WORDS or not w[:1].isalpha() for w in words)


def score_ecbplus(folder: Path) -> dict[str, object]:
    """ECB+ sub-topics linked one at a time; pairwise P/R of cross-document links on proper-name gold mentions.

    Kept for every system alike: gold mentions in validated sentences whose text is a capitalised
    name (dates and times left out), in the article's body (a headline line ingest reads as the
    title is not linked: the language layer parses bodies). A gold mention takes the predicted mention it overlaps most
    (character offsets back into the record's text). The baseline links mentions sharing their last word.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    from collections import Counter, defaultdict  # noqa: PLC0415
    from itertools import combinations  # noqa: PLC0415

    from datasets import load_folder_labelled  # noqa: PLC0415
    from storybrief.briefing.entities import link_entities  # noqa: PLC0415
    from storybrief.text.nlp import NlpOptions, parse  # noqa: PLC0415

    start = time.perf_counter()
    data, _ = load_folder_labelled(folder)
    by_id = {a.id: a for a in data.articles}
    gold_rows = [json.loads(line) for line in (folder / "entities_gold.jsonl").read_text(encoding="utf-8").splitlines()]
    gold: dict[str, list[dict[str, object]]] = defaultdict(list)  # subtopic -> mentions
    for row in gold_rows:
        if row["id"] not in by_id:
            continue
        article = by_id[row["id"]]
        body = article.offsets.to_source(0)  # a headline ingest took as the title is not in the body
        for m in row["mentions"]:
            if (
                m.get("in_coref_sentences")
                and not str(m["tag"]).startswith("TIME")
                and _proper_name(m["text"])
                and int(m["start"]) >= body
            ):
                gold[row["subtopic"]].append({**m, "doc": row["id"]})
    counts = {"storybrief": [0, 0, 0], "same last word": [0, 0, 0]}  # true, predicted, gold pairs
    missed: Counter[tuple[str, str, str]] = Counter()  # (why, mention, mention) of gold pairs not linked
    parsed_all = {p.article.id: p for p in parse(data.articles, NlpOptions(annotations=("tokens", "entities")))}
    for _subtopic, mentions in sorted(gold.items()):
        docs = sorted({str(m["doc"]) for m in mentions})
        entities = link_entities([parsed_all[d] for d in docs if d in parsed_all])
        spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)  # doc -> (start, end, entity)
        for k, e in enumerate(entities):
            for pm in e.mentions:
                a, b = by_id[pm.article].offsets.source_span(pm.start, pm.end)
                spans[pm.article].append((a, b, k))
        predicted_entity = []
        for m in mentions:
            best, best_overlap = None, 0
            for a, b, k in spans.get(str(m["doc"]), []):
                overlap = min(b, int(m["end"])) - max(a, int(m["start"]))
                if overlap > best_overlap:
                    best, best_overlap = k, overlap
            predicted_entity.append(best)
        for i, j in combinations(range(len(mentions)), 2):
            mi, mj = mentions[i], mentions[j]
            if mi["doc"] == mj["doc"]:
                continue
            same = mi["chain"] == mj["chain"] and not str(mi["chain"]).startswith(("INTRA_", "SINGLETON_"))
            linked = predicted_entity[i] is not None and predicted_entity[i] == predicted_entity[j]
            last = str(mi["text"]).split()[-1].lower() == str(mj["text"]).split()[-1].lower()
            if same and not linked:
                why = "not tagged" if predicted_entity[i] is None or predicted_entity[j] is None else "not linked"
                pair = sorted((str(mi["text"]), str(mj["text"])))
                missed[(why, pair[0], pair[1])] += 1
            for name, says in (("storybrief", linked), ("same last word", last)):
                counts[name][0] += same and says
                counts[name][1] += says
                counts[name][2] += same
    rows = {}
    for name, (true, predicted, gold_pairs) in counts.items():
        precision = true / predicted if predicted else 1.0
        recall = true / gold_pairs if gold_pairs else 1.0
        rows[name] = (precision, recall, gold_pairs, predicted)
    p, r, g, n = rows["storybrief"]
    bp, br, _, bn = rows["same last word"]
    return {
        "set": f"{folder.name} (proper-name mentions in bodies)",
        "articles": len(data.articles),
        "entities": sum(len(v) for v in gold.values()),
        "gold_pairs": g,
        "predicted_pairs": n,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "baseline": {"name": "same last word", "precision": bp, "recall": br, "predicted_pairs": bn},
        "missing_aliases": [],
        "forbidden_merges": [],
        "wrong_pairs": [],
        "missed_pairs": [[why, a, b, n] for (why, a, b), n in missed.most_common()],
        "missed_by_reason": {
            why: sum(n for (w, _, _), n in missed.items() if w == why) for why in {w for w, _, _ in missed}
        },
        "seconds": time.perf_counter() - start,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, help="folders of articles with a gold.json")
    parser.add_argument("--gold", type=Path, help="gold file (default: FOLDER/gold.json)")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    sets = [(f, args.gold or f / "gold.json") for f in args.folders] or [(f, g) for f, g in DEFAULT_SETS if g.is_file()]

    from rich.console import Console  # noqa: PLC0415
    from rich.table import Table  # noqa: PLC0415

    results = []
    for folder, gold in sets:
        if (folder / "entities_gold.jsonl").is_file():
            results.append(score_ecbplus(folder))
        elif (folder / "gold.jsonl").is_file():
            results += [score_events(folder, False), score_events(folder, True)]
        else:
            results.append(score_set(folder, gold))
    table = Table(title="entity linking: pairwise alias merges")
    for col in (
        "set",
        "articles",
        "entities",
        "gold pairs",
        "predicted",
        "precision",
        "recall",
        "F1",
        "forbidden",
        "s",
    ):
        table.add_column(col, justify="left" if col == "set" else "right")
    for r in results:
        table.add_row(
            str(r["set"]),
            str(r["articles"]),
            str(r["entities"]),
            str(r["gold_pairs"]),
            str(r["predicted_pairs"]),
            f"{r['precision']:.3f}",
            f"{r['recall']:.3f}",
            f"{r['f1']:.3f}",
            str(len(r["forbidden_merges"])),  # type: ignore[arg-type]
            f"{r['seconds']:.1f}",
        )
    console = Console(width=160)
    console.print(table)
    for r in results:
        if "baseline" in r:
            b = r["baseline"]
            console.print(
                f"{r['set']}: baseline '{b['name']}' P {b['precision']:.3f} R {b['recall']:.3f} "  # type: ignore[index]
                f"on the same mentions"
            )
        if r.get("missed_by_reason"):
            console.print(f"{r['set']}: gold pairs missed, by reason: {r['missed_by_reason']}", highlight=False)
        for key in ("missing_aliases", "wrong_pairs", "missed_pairs", "forbidden_merges"):
            if r[key]:
                shown = r[key][:20]  # type: ignore[index]
                console.print(f"{r['set']}: {key.replace('_', ' ')} (first {len(shown)}): {shown}", highlight=False)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
