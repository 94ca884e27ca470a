"""How well the narration reads real articles, the way a listener counts errors.

    python bench/reading.py [--split worked|heldout|all] [-v]

The corpus is in tests/corpus/: per article `<id>.txt` (a CMS export or a
copy from a page, chrome included) and `<id>.expect.tsv`, the tricky spans
and their correct reading, written before the tool was first run on the
article and never edited since (corrections go to tests/corpus/amendments.tsv,
each with its reason). The script stage runs as `audio-edition script` runs
it (100 spoken characters per segment, built-in lexicons), then:

- a reading span (number, unit, abbreviation, foreign) is right when one of
  its readings occurs in the spoken text, compared as vi_norm's scorer does
  (case, punctuation and tone placement ignored);
- a chrome span is right when its text is in no segment's source;
- a `word` or `nocut` span is right when no segment boundary falls inside it;
- besides the spans, every cut is judged: a cut with no punctuation between
  two syllables that make one word of the reference dictionary (VLSP-derived,
  shipped with underthesea) is a cut inside a word; a cut between a number
  and its unit, a sentence pause after an initial, an abbreviation's dot or a
  list number, and a forced cut given the phrase pause, are other bad cuts.

Prints errors per 1,000 spoken words by class, and the spans' exact-match rate.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from script import Normalizer, Pause, make_script, parse_article  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
AMENDMENTS = CORPUS / "amendments.tsv"
MAX_CHARS = 100

READING = ("number", "unit", "abbreviation", "foreign")
CLASSES = ("cut inside a word", "other bad cut", "chrome read", "unit", "abbreviation",
           "foreign word", "number/date", "content lost")
SPAN_CLASS = {"number": "number/date", "unit": "unit", "abbreviation": "abbreviation",
              "foreign": "foreign word", "chrome": "chrome read",
              "word": "cut inside a word", "nocut": "other bad cut"}

# --- canonical form, as ../shared/vi_norm/score.py compares ------------------------

_TONES = {"\u0300": "2", "\u0301": "1", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
_PUNCT = re.compile(r"[\-\u2010-\u2015\u2212.,;:!?\"'“”‘’()\[\]…/]+")
_ONSET_Y = re.compile(r"^(b|c|ch|d|đ|g|gh|h|k|kh|l|m|n|ng|nh|p|ph|qu|r|s|t|th|tr|v|x)y$")


def _syllable(word: str) -> str:
    tone, base = "0", []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    b = unicodedata.normalize("NFC", "".join(base))
    if _ONSET_Y.match(b):
        b = b[:-1] + "i"
    return b + tone


def canon(text: str) -> str:
    text = _PUNCT.sub(" ", unicodedata.normalize("NFC", text).lower())
    return " ".join(_syllable(w) for w in text.split())


# --- the corpus ----------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    kind: str
    written: str
    expected: tuple[str, ...]


@dataclass
class Result:
    article: str
    words: int
    spans: int = 0
    spans_ok: int = 0
    errors: Counter = field(default_factory=Counter)
    details: list[str] = field(default_factory=list)

    def fail(self, cls: str, detail: str) -> None:
        self.errors[cls] += 1
        self.details.append(f"{cls}: {detail}")


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if row and not row[0].startswith("#") and row[0] not in ("class", "id")]


def load_amendments() -> dict[tuple[str, str, str], str]:
    """(article, class, written) -> the corrected expectation."""
    if not AMENDMENTS.exists():
        return {}
    return {(r[0], r[1], r[2]): r[3] for r in _rows(AMENDMENTS)}


def load_spans(expect: Path, amendments: dict) -> list[Span]:
    article = expect.name.removesuffix(".expect.tsv")
    spans = []
    for row in _rows(expect):
        if len(row) != 3:
            raise ValueError(f"{expect}: expected 3 columns: {row}")
        kind, written, expected = row
        expected = amendments.get((article, kind, written), expected)
        if expected == "skip":
            continue
        spans.append(Span(kind, written, tuple(a.strip() for a in expected.split(" | "))))
    return spans


def articles(split: str) -> list[Path]:
    dirs = ["worked", "heldout"] if split == "all" else [split]
    return sorted(p for d in dirs for p in (CORPUS / d).glob("*.txt")
                  if p.with_name(p.stem + ".expect.tsv").exists())


# --- judging cuts ---------------------------------------------------------------------

_DICTIONARY: set[str] | None = None


def dictionary() -> set[str]:
    """The reference word list: underthesea's (from the VLSP 2013 corpus)."""
    global _DICTIONARY
    if _DICTIONARY is None:
        from script.words import reference_dictionary
        _DICTIONARY = reference_dictionary()
    return _DICTIONARY


_WORD = re.compile(r"^[\W_]*([^\W\d_]+)[\W_]*$")
_NUMBER_END = re.compile(r"\d[\d.,]*$")
_UNIT_START = re.compile(
    r"^(km|m|cm|mm|kg|g|mg|tấn|tạ|ha|lít|ml|mét|ki|độ|%|phần trăm|đồng|USD|triệu|tỷ|nghìn|"
    r"MW|kW|kWh|GW|GB|TB|MB|mAh|W|V|giờ|phút|giây|ngày|tháng|năm|người|ca)\b")
_INITIAL = re.compile(r"(?:^|\s)(?:[A-ZĐ]\.)+$")
_LIST_NUMBER = re.compile(r"^\d{1,2}\.$")
_PUNCTUATED = re.compile(r"[.,;:!?…\-–—)\]\"”’']$")


def _syl(token: str) -> str | None:
    m = _WORD.match(token)
    return m.group(1).lower() if m else None


def judge_cut(before: str, after: str, pause: Pause) -> str | None:
    """What is wrong with a segment boundary between two written texts, if anything."""
    last_tokens, first_tokens = before.split(), after.split()
    if not last_tokens or not first_tokens:
        return None
    last, first = last_tokens[-1], first_tokens[0]
    if pause not in (Pause.WORD, Pause.PHRASE, Pause.SENTENCE):
        return None  # between paragraphs or sections: not a cut in running text
    if pause == Pause.SENTENCE and ((_INITIAL.search(" " + last) and not first[:1].isupper())
                                    or (len(last_tokens) == 1 and _LIST_NUMBER.match(last))):
        return "other bad cut"
    if _PUNCTUATED.search(last) or first[:1] in "-–—(\"“":
        return None
    if pause == Pause.PHRASE:
        return "other bad cut"  # a forced cut heard as a clause pause
    if _NUMBER_END.search(last) and _UNIT_START.match(first):
        return "other bad cut"
    words = dictionary()
    a, b = _syl(last), _syl(first)
    if a and b:
        a2 = _syl(last_tokens[-2]) if len(last_tokens) > 1 else None
        b2 = _syl(first_tokens[1]) if len(first_tokens) > 1 else None
        candidates = [f"{a} {b}"] + ([f"{a2} {a} {b}"] if a2 else []) \
            + ([f"{a} {b} {b2}"] if b2 else [])
        if any(c in words for c in candidates):
            return "cut inside a word"
    return None


# --- one article ------------------------------------------------------------------------

def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def evaluate(path: Path, amendments: dict, speak=None) -> Result:
    script = make_script(parse_article(path.read_text(encoding="utf-8")), MAX_CHARS,
                         speak or Normalizer())
    segments = [s for section in script.sections for s in section.segments]
    spoken = " " + canon(" ".join(s.text for s in segments)) + " "
    result = Result(path.stem, len(spoken.split()))

    # The written text as read, with the offset of every segment boundary.
    sources, boundaries, pos = [], [], 0
    for seg in segments:
        sources.append(seg.source)
        pos += len(seg.source)
        boundaries.append(pos)
        pos += 1
    written = " ".join(sources)
    boundaries = boundaries[:-1]

    for k, (left, right) in enumerate(zip(segments, segments[1:])):
        cls = judge_cut(left.source, right.source, left.pause_after)
        if cls:
            result.fail(cls, f"… {left.source[-40:]} | {right.source[:40]} …"
                             f" [{left.pause_after.value}]")

    for span in load_spans(path.with_name(path.stem + ".expect.tsv"), amendments):
        result.spans += 1
        cls = SPAN_CLASS.get(span.kind)
        if cls is None:
            raise ValueError(f"{path.name}: unknown class {span.kind!r}")
        text = _squash(span.written)
        if span.kind == "chrome":
            ok = text not in written
            why = "read aloud"
        elif span.kind in ("word", "nocut"):
            at = written.find(text)
            if at < 0:
                result.fail("content lost", f"{text!r} is not in the script")
                continue
            ok = not any(at < b < at + len(text) for b in boundaries)
            why = "cut inside"
        else:
            ok = any(f" {canon(alt)} " in spoken for alt in span.expected)
            if not ok and text not in written:
                result.fail("content lost", f"{text!r} is not in the script")
                continue
            why = f"expected {' | '.join(span.expected)!r}"
        if ok:
            result.spans_ok += 1
        else:
            result.fail(cls, f"{text!r} {why}")
    return result


def report(results: list[Result], title: str, verbose: bool = False) -> dict[str, float]:
    words = sum(r.words for r in results)
    errors = Counter()
    for r in results:
        errors.update(r.errors)
    spans = sum(r.spans for r in results)
    ok = sum(r.spans_ok for r in results)
    total = sum(errors.values())
    print(f"\n{title}: {len(results)} articles, {words} spoken words, {spans} spans")
    for cls in CLASSES:
        print(f"  {cls:<18} {errors[cls]:4d}  {1000 * errors[cls] / max(words, 1):6.2f} /1000 words")
    print(f"  {'all errors':<18} {total:4d}  {1000 * total / max(words, 1):6.2f} /1000 words")
    print(f"  spans exact match  {ok}/{spans} = {100 * ok / max(spans, 1):.1f}%")
    if verbose:
        for r in results:
            for d in r.details:
                print(f"    {r.article}: {d}")
    return {"per_1000": 1000 * total / max(words, 1),
            "inside_word": errors["cut inside a word"], "words": words,
            **{cls: errors[cls] for cls in CLASSES}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("worked", "heldout", "all"), default="worked")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    amendments = load_amendments()
    speak = Normalizer()
    splits = ["worked", "heldout"] if args.split == "all" else [args.split]
    for split in splits:
        paths = articles(split)
        if not paths:
            print(f"{split}: no articles in {CORPUS / split}")
            continue
        report([evaluate(p, amendments, speak) for p in paths], split, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
