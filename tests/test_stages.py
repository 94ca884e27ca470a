"""Each stage of the sound side at its boundary, in milliseconds: values in,
values out, with the in-process tone engine (no network, no ffmpeg) and a
real clip cache in a temporary directory."""
from __future__ import annotations

import random
import time

import numpy as np
import pytest

from audio.assemble import assemble
from audio.cache import ClipCache, clip_key
from audio.errors import SynthesisError
from audio.model import (Clip, Edges, Item, ItemKind, RenderReport, RetryPolicy, Timeline, Timing,
                         frame_ms)
from audio.render import plan, render
from audio.sequence import INTRO_LABEL, OUTRO_LABEL, chapters, narration, running_order
from audio.stream import Returning
from script import Pacing, Pause, Script, Section, SectionKind, Segment
from tests.fake_engine import PAD_MS, SENTENCE_GAP_MS, ToneEngine

RATE = 16000


def make_script() -> Script:
    return Script("Tiêu đề bài", (
        Section(SectionKind.TITLE, (Segment("Tiêu đề bài", Pause.TITLE),)),
        Section(SectionKind.LEAD, (Segment("Mở đầu, ngắn gọn", Pause.PHRASE),
                                   Segment("rồi kết thúc. Câu hai.", Pause.SECTION))),
        Section(SectionKind.BODY, (Segment("Thân bài.", Pause.PARAGRAPH),
                                   Segment("—", Pause.PARAGRAPH),
                                   Segment("Thân bài.", Pause.SECTION))),
        Section(SectionKind.CAPTION, (Segment("Chú thích.", Pause.SECTION),)),
        Section(SectionKind.BODY, (Segment("Đoạn cuối.", Pause.END),)),
    ), meta=(("byline", "Phóng viên"), ("date", "2026-11-29"),
             ("source", "https://bao.example/a")))


def jingle(ms: float = 300) -> Clip:
    return Clip(np.full(int(ms * RATE / 1000), 3000, dtype="<i2").tobytes(), RATE)


def rendered(items, engine, cache=None, **kw):
    stream = Returning(render(items, plan(items, engine.identity, cache), engine,
                              cache=cache, **kw))
    return list(stream), stream.value


# --- the running order ---------------------------------------------------------

def test_running_order_is_every_segment_with_its_pause_and_chapter():
    pacing = Pacing()
    items = running_order(make_script(), pacing)
    assert [i.kind for i in items] == [ItemKind.SPEECH] * 8
    assert [i.pause_ms for i in items] == [1500, 250, 1200, 900, 900, 1200, 1200, 700]
    assert running_order(make_script(), pacing, edges=Edges(end_ms=0))[-1].pause_ms == 0
    assert [i.chapter for i in items] == ["Tiêu đề", "Sapo", None, "Nội dung", None, None,
                                          "Chú thích ảnh", "Nội dung (2)"]
    assert items[4].text == ""  # a lone dash: nothing for the voice to say
    assert items[2].sentences == ("rồi kết thúc.", "Câu hai.")


def test_intro_and_outro_are_items_with_their_own_pauses_and_chapters():
    pacing = Pacing(section=1111)
    intro, outro = jingle(), jingle(500)
    items = running_order(make_script(), pacing, intro, outro)
    assert (items[0].kind, items[0].jingle, items[0].pause_ms, items[0].chapter) == (
        ItemKind.INTRO, intro, 1111, INTRO_LABEL)
    assert (items[-1].kind, items[-1].jingle, items[-1].pause_ms, items[-1].chapter) == (
        ItemKind.OUTRO, outro, Edges().end_ms, OUTRO_LABEL)
    assert items[-2].pause_ms == 1111  # the last segment is followed by the outro
    assert [i.text for i in items[1:-1]] == [i.text for i in running_order(make_script())]


def test_chapters_run_from_each_start_to_the_next_and_the_last_to_the_end():
    s = RATE  # frames in a second
    items = (Item(ItemKind.INTRO, 0, chapter="A"), Item(ItemKind.SPEECH, 0, "x"),
             Item(ItemKind.SPEECH, 0, "y", chapter="B"))
    timeline = Timeline((Timing(s // 2, 4 * s, s // 2), Timing(5 * s, 8 * s, 0),
                         Timing(8 * s, 12 * s, 2 * s)))
    # the first chapter from the file's start (its lead-in silence included)
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters(items, timeline, RATE)] == [
        ("A", 0, 8000), ("B", 8000, 14000)]
    # at 1.25x the same frames are heard sooner
    assert [(c.start_ms, c.end_ms) for c in chapters(items, timeline, RATE, 1.25)] == [
        (0, 6400), (6400, 11200)]
    assert narration(items, timeline) == timeline.timings[1:]
    assert frame_ms(16000, RATE, 2.0) == 500


def test_a_chapter_under_three_seconds_is_merged_into_the_next_and_a_last_into_the_one_before():
    s = RATE
    items = tuple(Item(ItemKind.SPEECH, 0, str(i), chapter=name)
                  for i, name in enumerate(["Tiêu đề", "Sapo", "Nội dung", "Tác giả"]))
    timeline = Timeline((Timing(0, 2 * s, 0), Timing(2 * s, 9 * s, 0),
                         Timing(9 * s, 30 * s, 0), Timing(30 * s, 31 * s, s)))
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters(items, timeline, RATE)] == [
        ("Sapo", 0, 9000), ("Nội dung", 9000, 32000)]
    one = Timeline((Timing(0, s, 0),) * 1)
    assert [(c.title, c.start_ms, c.end_ms) for c in chapters(items[:1], one, RATE)] == [
        ("Tiêu đề", 0, 1000)]  # a lone chapter stays, however short


# --- planning and rendering ------------------------------------------------------

def test_a_text_said_twice_is_one_clip_and_cached_clips_are_not_made(tmp_path):
    engine = ToneEngine(RATE)
    items = running_order(make_script())
    p = plan(items, engine.identity, None)
    assert p.keys[3] == p.keys[5] and p.keys[4] is None
    assert p.distinct == 6 and len(p.to_make) == 6 and p.cached == 0

    cache = ClipCache(tmp_path)
    clips, report = rendered(items, engine, cache)
    assert report == RenderReport(total=8, cached=0, synthesized=6, unsaved=0)
    assert sorted(engine.calls) == sorted({i.text for i in items if i.text})
    assert clips[3] == clips[5] and clips[4].frames == 0
    assert [c.key for c in clips] == [k or "" for k in p.keys]

    again = ToneEngine(RATE)
    clips2, report2 = rendered(items, again, cache)
    assert again.calls == [] and clips2 == clips
    assert report2 == RenderReport(total=8, cached=6, synthesized=0, unsaved=0)


def test_the_engines_identity_is_in_the_cache_key(tmp_path):
    """Another voice (or another version of one) never gets this voice's clips."""
    cache = ClipCache(tmp_path)
    items = running_order(make_script())
    rendered(items, ToneEngine(RATE, voice="a"), cache)
    other = ToneEngine(RATE, voice="b")
    _, report = rendered(items, other, cache)
    assert report.cached == 0 and report.synthesized == 6 and len(other.calls) == 6
    assert clip_key({"engine": "x"}, "a") != clip_key({"engine": "y"}, "a")
    assert clip_key({"engine": "x"}, "a") != clip_key({"engine": "x"}, "b")


def test_jingles_pass_through_render_untouched():
    intro = jingle()
    items = running_order(make_script(), Pacing(), intro, None)
    clips, report = rendered(items, ToneEngine(RATE))
    assert clips[0] is intro and report.total == 8


def test_retryable_failures_are_retried_and_others_name_the_segment():
    busy = SynthesisError("busy", retryable=True)
    engine = ToneEngine(RATE, failures={"Thân bài.": [busy, busy]})
    items = running_order(make_script())
    _, report = rendered(items, engine, retry=RetryPolicy(tries=3, base=0.0))
    assert report.synthesized == 6 and engine.calls.count("Thân bài.") == 3

    engine = ToneEngine(RATE, failures={"Chú thích.": [SynthesisError("no", retryable=False)]})
    with pytest.raises(SynthesisError, match=r"^segment 7/8 \('Chú thích\.'\): no$"):
        rendered(items, engine, retry=RetryPolicy(tries=3, base=0.0))

    engine = ToneEngine(RATE, failures={"Chú thích.": [busy] * 3})
    with pytest.raises(SynthesisError, match=r"busy \(after 3 tries\)$"):
        rendered(items, engine, retry=RetryPolicy(tries=3, base=0.0))


def test_a_damaged_cache_entry_is_made_again_and_counted_so(tmp_path):
    cache = ClipCache(tmp_path)
    items = running_order(make_script())
    rendered(items, ToneEngine(RATE), cache)
    entry = next((tmp_path / "clips").rglob("*.clip"))
    entry.write_bytes(entry.read_bytes()[:-7])
    engine = ToneEngine(RATE)
    clips, report = rendered(items, engine, cache)
    assert len(engine.calls) == 1 and report.synthesized == 1 and report.cached == 5
    assert all(c.frames for i, c in zip(items, clips) if i.text)


def test_clips_the_cache_cannot_keep_are_counted(tmp_path):
    (tmp_path / "clips").write_text("a file where the clips directory should be")
    _, report = rendered(running_order(make_script()), ToneEngine(RATE), ClipCache(tmp_path))
    assert report.unsaved == 6 and report.synthesized == 6


def test_progress_counts_segments_and_cached_clips():
    seen = []
    rendered(running_order(make_script(), Pacing(), jingle(), jingle()), ToneEngine(RATE),
             progress=lambda done, total, cached: seen.append((done, total, cached)))
    assert seen[0] == (0, 8, 0) and seen[-1] == (8, 8, 0) and len(seen) == 9


# --- backoff -------------------------------------------------------------------

class _Middle(random.Random):
    def uniform(self, a, b):
        return (a + b) / 2


def test_backoff_doubles_from_the_base_up_to_the_cap_with_jitter():
    policy = RetryPolicy(tries=9, base=0.5, cap=6.0)
    assert [policy.delay(n, None, _Middle()) for n in range(1, 7)] == [
        0.5, 1.0, 2.0, 4.0, 6.0, 6.0]
    rng = random.Random(7)
    delays = [policy.delay(2, None, rng) for _ in range(500)]
    assert 0.5 <= min(delays) < 0.55 and 1.45 < max(delays) <= 1.5  # 1 s, ±50 %
    assert policy.delay(1, 3.0, rng) == 3.0  # the server's Retry-After wins
    assert policy.delay(1, 99.0, rng) == 6.0  # but never past the cap


# --- assembling ------------------------------------------------------------------

def assembled(items, clips, **kw):
    stream = Returning(assemble(items, clips, RATE, **kw))
    pcm = b"".join(stream)
    return np.frombuffer(pcm, dtype="<i2"), stream.value


def test_assemble_trims_speech_keeps_jingles_whole_and_times_every_frame():
    engine = ToneEngine(RATE)
    intro = Clip(np.concatenate([np.zeros(1600, "<i2"),
                                 np.full(1600, 3000, "<i2")]).tobytes(), RATE)
    items = running_order(make_script(), Pacing(), intro, None)
    clips, _ = rendered(items, engine)
    samples, timeline = assembled(items, clips, loudness=None)
    t = timeline.timings
    assert len(samples) == timeline.total_frames == t[-1].end + t[-1].pause
    assert t[0] == Timing(0, 3200, round(1200 * RATE / 1000))  # the intro's silence is kept
    for item, clip, timing in zip(items[1:], clips[1:], t[1:]):
        assert timing.start == t[t.index(timing) - 1].end + t[t.index(timing) - 1].pause
        assert timing.pause == round(item.pause_ms * RATE / 1000)
        if clip.frames:  # each side's 40 ms pad trimmed to 5 ms
            padding = (clip.frames - (timing.end - timing.start)) * 1000 / RATE
            assert abs(padding - 2 * (PAD_MS - 5)) < 6
    assert not samples[t[1].end:t[1].end + t[1].pause].any()  # the pause is silence


def test_assemble_finds_where_a_clip_pauses_between_its_sentences():
    items = running_order(make_script())
    clips, _ = rendered(items, ToneEngine(RATE))
    _, timeline = assembled(items, clips, loudness=None)
    [(end, start)] = timeline.timings[2].marks  # "rồi kết thúc. Câu hai."
    first = len("rồi kết thúc.") * 12 + 5  # ms: the sentence after 5 ms of pad
    assert abs(end * 1000 / RATE - first) < 15
    assert abs((start - end) * 1000 / RATE - SENTENCE_GAP_MS) < 15
    assert timeline.timings[3].marks == ()


def test_a_streams_return_value_is_there_only_once_it_is_drained():
    def numbers():
        yield 1
        return "end"

    stream = Returning(numbers())
    with pytest.raises(RuntimeError):
        stream.value
    assert list(stream) == [1] and stream.value == "end"


# --- the whole sequence, and the orchestrator ----------------------------------

def test_build_edition_runs_the_stages_in_order_with_an_injected_engine(tmp_path):
    """The tone engine through every stage: the MP3, its tags and chapters,
    and sidecars whose timings are the assembled ones."""
    import json

    import mutagen.mp3

    from audio.edition import build_edition
    from audio.model import EditionOptions, Encoding

    engine = ToneEngine(RATE)
    options = EditionOptions(loudness=None, encoding=Encoding(speed=1.25), publisher="Báo")
    edition = build_edition(make_script(), engine, tmp_path / "out", options,
                            cache=ClipCache(tmp_path / "cache"), slug="bai")
    assert edition.mp3 == tmp_path / "out" / "bai.mp3" and edition.engine == "tone"
    assert [p.name for p in sorted((tmp_path / "out").iterdir())] == [
        "bai.html", "bai.json", "bai.mp3", "bai.vtt"]
    assert edition.segments == 8 and edition.report.synthesized == 6
    audio = mutagen.mp3.MP3(edition.mp3)
    assert abs(audio.info.length - edition.seconds) < 0.1
    assert str(audio.tags["TALB"]) == "Báo" and str(audio.tags["TPE1"]) == "Phóng viên"
    chapters = sorted((f for f in audio.tags.values() if f.FrameID == "CHAP"),
                      key=lambda f: f.start_time)
    assert [(c.sub_frames["TIT2"].text[0], c.start_time) for c in chapters] == [
        (c.title, c.start_ms) for c in edition.chapters]
    assert edition.chapters[-1].end_ms == round(edition.seconds * 1000)
    data = json.loads(edition.json.read_text(encoding="utf-8"))
    assert [(s["start_ms"], s["end_ms"]) for s in data["segments"]] == [
        (round(edition.ms(t.start)), round(edition.ms(t.end))) for t in edition.timings]
    assert [s["pause_after"] for s in data["segments"]] == [
        s.pause_after.value for s in make_script().segments]
    assert (data["engine"], data["speed"], data["byline"], data["audio"]) == (
        "tone", 1.25, "Phóng viên", "bai.mp3")
    assert data["source"] == "https://bao.example/a" == str(audio.tags["COMM::vie"])
    assert data["published"] == "2026-11-29" == str(audio.tags["TDRC"])
    assert [s["section"] for s in data["segments"]] == [
        "title", "lead", "lead", "body", "body", "body", "caption", "body"]
    paragraphs = [c["paragraph"] for c in data["sentences"]]
    assert paragraphs == sorted(paragraphs) and set(paragraphs) == set(range(paragraphs[-1] + 1))
    vtt = edition.vtt.read_text(encoding="utf-8").split("\n\n")
    assert vtt[0] == "WEBVTT" and len(vtt) - 1 == len(data["sentences"])
    first = data["sentences"][0]
    assert vtt[1].splitlines() == [
        "1", f"00:00:00.{first['start_ms']:03d} --> 00:00:0{first['end_ms'] // 1000}."
             f"{first['end_ms'] % 1000:03d}", "Tiêu đề bài"]


def test_one_article_and_many_go_through_the_same_function(tmp_path, monkeypatch):
    from audio import batch
    from audio.engines import ENGINES, EngineOptions
    from audio.model import EditionOptions

    monkeypatch.setitem(ENGINES, "tone", lambda options: ToneEngine(RATE))
    calls = []
    real = batch.build_one
    monkeypatch.setattr(batch, "build_one", lambda job, progress=None: (
        calls.append(job.slug), real(job, progress))[1])

    def job(slug):
        return batch.Job(slug, make_script(), slug, tmp_path, "tone", EngineOptions(),
                         EditionOptions(loudness=None))

    failed = batch.Outcome("broken.txt", error="no such file: broken.txt")
    rows = batch.run([job("a"), failed, job("b")], workers=1)
    assert calls == ["a", "b"] and [r.ok for r in rows] == [True, False, True]
    assert rows[1] is failed and rows[0].edition.mp3 == tmp_path / "a.mp3"
    assert rows[2].edition.report == RenderReport(8, 0, 6, 0)  # no cache given: all made


def test_segments_are_cut_to_the_chosen_engines_limit(monkeypatch):
    """Engine.max_chars is honoured: a build cuts the article to the voice's
    limit ('auto': the least of its candidates)."""
    import re

    from audio.engines import EspeakEngine, segment_limit
    from tests.conftest import SAMPLE
    from tests.helpers import run_cli

    def segments():
        result = run_cli("build", str(SAMPLE), "--dry-run", "--engine", "espeak", "--no-cache")
        assert result.exit_code == 0, result.stderr
        return int(re.search(r"(\d+) segments", result.stdout).group(1))

    assert segment_limit("espeak") == segment_limit("gtts") == segment_limit("auto") == 100
    usual = segments()
    monkeypatch.setattr(EspeakEngine, "max_chars", 40)
    assert segment_limit("espeak") == segment_limit("auto") == 40
    assert segment_limit("gtts") == 100
    assert segments() > usual


def test_trimming_a_clip_of_silence_leaves_nothing_at_its_rate():
    """Regression: digital silence has no peak (-inf dBFS), which made the
    silence threshold -inf, and the whole clip was kept as if spoken."""
    from audio.assemble import trim

    assert trim(Clip(bytes(3200), RATE)) == Clip(b"", RATE)


def test_assemble_needs_one_clip_per_item():
    items = running_order(make_script())
    clips, _ = rendered(items, ToneEngine(RATE))
    with pytest.raises(ValueError):
        assembled(items, clips[:-1], loudness=None)


def test_a_clip_of_three_sentences_has_two_distinct_marks():
    from audio.assemble import sentence_marks

    sentences = ("Câu một.", "Câu thứ hai.", "Câu ba.")
    clip = ToneEngine(RATE).synthesize(" ".join(sentences))
    marks = sentence_marks(clip, sentences)
    assert len(marks) == 2 and marks[0][1] < marks[1][0]
    for (end, start), sentence in zip(marks, sentences):
        assert abs((start - end) * 1000 / RATE - SENTENCE_GAP_MS) < 15


def test_an_empty_script_is_refused(tmp_path):
    from audio.edition import build_edition
    from audio.errors import ExportError

    with pytest.raises(ExportError, match="^the script has nothing to read$"):
        build_edition(Script("T", ()), ToneEngine(RATE), tmp_path)


def test_webvtt_escapes_markup_and_the_arrow():
    from audio.timings import Cue, webvtt

    text = webvtt([Cue(0, 1500, "a <b> & c --> d", "", "body", 0)])
    assert text.split("\n") == ["WEBVTT", "", "1", "00:00:00.000 --> 00:00:01.500",
                                 "a &lt;b&gt; &amp; c --&gt; d", ""]


def test_the_clip_cache_lives_in_the_users_cache_directory():
    from audio.cache import default_cache_dir

    assert default_cache_dir().name == "audio-edition"


def test_render_asks_for_the_first_clips_at_once_and_a_stream_never_read_stops_them():
    """The voice starts when render is called (the pipeline's set-up runs
    meanwhile); closing the stream unread cancels what was not started and
    leaves no thread working."""
    import threading as _threading

    from audio.render import plan, render
    from audio.sequence import running_order

    started = _threading.Event()
    release = _threading.Event()

    class SlowEngine(ToneEngine):
        def synthesize(self, text):
            started.set()
            release.wait(5)
            return super().synthesize(text)

    engine = SlowEngine(RATE)
    items = running_order(make_script())
    before = _threading.active_count()
    clips = render(items, plan(items, engine.identity, None), engine, jobs=2)
    assert started.wait(2)  # asked for before anything read the stream
    release.set()
    clips.close()
    assert _threading.active_count() <= before


@pytest.mark.parametrize("max_jobs, expected", [(None, 3), (1, 1)])
def test_a_voice_gets_as_many_requests_at_once_as_are_of_use(max_jobs, expected):
    """`--jobs` requests at once, capped by the voice's `max_jobs` (espeak-ng
    and Piper make one clip at a time: more threads only waited for their
    lock): the most calls ever under way at once, and the threads working."""
    import threading as _threading

    from audio.render import plan, render
    from audio.sequence import running_order

    lock = _threading.Lock()
    under_way, most, threads = [0], [0], set()

    class CountingEngine(ToneEngine):
        def synthesize(self, text):
            with lock:
                under_way[0] += 1
                most[0] = max(most[0], under_way[0])
                threads.add(_threading.get_ident())
            time.sleep(0.02)
            with lock:
                under_way[0] -= 1
            return super().synthesize(text)

    engine = CountingEngine(RATE)
    if max_jobs is not None:
        engine.max_jobs = max_jobs
    items = running_order(make_script())
    assert len(list(render(items, plan(items, engine.identity, None), engine, jobs=3))) \
        == len(items)
    assert most[0] == expected and len(threads) == expected
