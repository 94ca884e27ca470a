"""The read-along page: one self-contained HTML file that works opened from
disk, with no network. Every piece of article text is HTML-escaped, and a
Content-Security-Policy with a per-page nonce lets no other script run, so
markup in an article is shown, never executed."""
from __future__ import annotations

import html
import secrets
import urllib.parse
from itertools import groupby

from script import Script

from .clock import minutes_seconds
from .model import VOICE_NAMES, Chapter
from .timings import Cue

SPEEDS = ("0.75", "1", "1.25", "1.5")
OPEN_CHAPTERS = 3  # a chapter list longer than this starts folded

CSS = """
:root { color-scheme: light dark; --accent: #b3261e; --muted: #595959; --now: #fff3b0;
  --word: #ffd54a; --bg: #fff; --fg: #1a1a1a; }
@media (prefers-color-scheme: dark) {
  /* every text at least 4.5:1 on the background (WCAG AA) */
  :root { --accent: #ff9e95; --muted: #b8b8b8; --now: #ffe066; --word: #ffb300;
    --bg: #121212; --fg: #ececec; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 18px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--bg); color: var(--fg); }
main { max-width: 42rem; margin: 0 auto; padding: 1rem 1rem 8rem; }
h1 { font-size: 1.6rem; line-height: 1.3; margin: .5rem 0; }
.byline { color: var(--muted); margin: 0 0 1rem; }
.player { position: sticky; top: 0; z-index: 1; padding: .5rem 0; background: var(--bg); }
audio { width: 100%; display: block; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .25rem; }
nav { margin: .5rem 0 1rem; }
nav summary { cursor: pointer; color: var(--accent); min-height: 2.5rem; line-height: 2.5rem; }
nav ol { margin: 0; padding-left: 1.25rem; }
button, select { font: inherit; min-height: 2.5rem; }
select { background: var(--bg); color: var(--fg); }
.chapter { background: none; border: 0; color: var(--accent); text-decoration: underline;
  cursor: pointer; padding: .25rem 0; text-align: left; }
.lead { font-weight: 600; }
.caption { font-style: italic; color: var(--muted); font-size: .95em; }
.cue { cursor: pointer; border-radius: .2rem; }
.cue:hover { text-decoration: underline dotted; }
.cue:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.cue.now { background: var(--now); color: #000; }
/* the word being said, where the voice times its words (Piper) */
.w.now { background: var(--word); color: #000; text-decoration: underline; border-radius: .2rem; }
.keys, .voice { color: var(--muted); font-size: .85em; }
.voice { margin: -.75rem 0 .5rem; }
/* touch screens have no keyboard to press: no key hints */
@media (hover: none), (pointer: coarse) { .keys { display: none; } }
@media (max-width: 30rem) {
  body { font-size: 17px; } h1 { font-size: 1.35rem; }
  /* a phone: the sticky player stays under 100 px, one row under the audio bar */
  .player { padding: .25rem 0; }
  .controls { margin-top: .125rem; flex-wrap: nowrap; }
  .controls .keys { display: none; }
  button, select { min-height: 2.25rem; }
}
"""

JS = """
(function () {
  const audio = document.getElementById('audio');
  const cues = Array.from(document.querySelectorAll('.cue'));
  const starts = cues.map(c => Number(c.dataset.start));
  // the words the voice timed, in the order they are heard
  const words = Array.from(document.querySelectorAll('.w'))
    .sort((a, b) => Number(a.dataset.start) - Number(b.dataset.start));
  const wordStarts = words.map(w => Number(w.dataset.start));
  let current = null, currentWord = null;
  function seek(ms) { audio.currentTime = ms / 1000; }
  function last(list, ms) {  // the index of the last start at or before ms, or -1
    let lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1;
      if (list[mid] <= ms) { found = mid; lo = mid + 1; } else { hi = mid - 1; } }
    return found;
  }
  function at(ms) { const i = last(starts, ms); return i < 0 ? null : cues[i]; }
  function wordAt(ms) {  // the word being said; none in the pauses between sentences
    const i = last(wordStarts, ms);
    return i >= 0 && ms < Number(words[i].dataset.end) + 150 ? words[i] : null;
  }
  function updateWord(ms) {
    const word = wordAt(ms);
    if (word === currentWord) return;
    if (currentWord) currentWord.classList.remove('now');
    if (word) word.classList.add('now');
    currentWord = word;
  }
  function update() {
    updateWord(audio.currentTime * 1000);
    const cue = at(audio.currentTime * 1000);
    if (cue === current) return;
    if (current) { current.classList.remove('now'); current.removeAttribute('aria-current'); }
    if (cue) {
      cue.classList.add('now'); cue.setAttribute('aria-current', 'true');
      if (!audio.paused) cue.scrollIntoView({block: 'nearest', behavior: 'smooth'});
    }
    current = cue;
  }
  function tick() { update(); if (!audio.paused) requestAnimationFrame(tick); }
  audio.addEventListener('timeupdate', update);
  audio.addEventListener('seeked', update);
  audio.addEventListener('play', () => requestAnimationFrame(tick));
  // a sentence (or chapter) clicked, or Enter on it: listen from there
  function activate(el) {
    seek(Number(el.dataset.start)); update();
    const playing = audio.play(); if (playing) playing.catch(() => {});
  }
  document.addEventListener('click', e => {
    const el = e.target.closest('[data-start]'); if (el) activate(el);
  });
  document.addEventListener('keydown', e => {
    const el = e.target.closest && e.target.closest('[data-start]');
    if (el && (e.key === 'Enter' || e.key === ' ')) { e.preventDefault(); activate(el); return; }
    if (e.target.tagName === 'SELECT' || e.target.tagName === 'AUDIO') return;
    if (e.key === 'k') { audio.paused ? audio.play() : audio.pause(); }
    else if (e.key === 'j' || e.key === 'l') {
      const i = current ? cues.indexOf(current) : -1;
      const next = cues[Math.max(0, Math.min(cues.length - 1, i + (e.key === 'l' ? 1 : -1)))];
      if (next) { activate(next); next.focus(); }
    }
  });
  document.getElementById('speed').addEventListener('change', e => {
    audio.playbackRate = Number(e.target.value);
  });
  // a wide screen has room for the chapters: unfold them (a phone keeps them folded)
  const toc = document.querySelector('nav details');
  if (toc && window.matchMedia('(min-width: 48rem)').matches) toc.open = true;
  update();
})();
"""


def read_along_page(script: Script, mp3_name: str, cues: list[Cue],
                    chapters: tuple[Chapter, ...], engine: str | None = None) -> str:
    e = html.escape
    nonce = secrets.token_urlsafe(16)
    byline = script.meta_value("byline")
    title_cues = [c for c in cues if c.section == "title"]
    body_cues = [c for c in cues if c.section not in ("title", "byline")]
    byline_cues = [c for c in cues if c.section == "byline"]

    def words(c: Cue) -> str:
        """The cue's text, each word the voice timed in its own span."""
        if not c.words:
            return e(c.text or c.spoken)
        return " ".join(
            f'<span class="w" data-start="{w.start_ms}" data-end="{w.end_ms}">{e(w.text)}</span>'
            if w.start_ms is not None else e(w.text) for w in c.words)

    def spans(items: list[Cue]) -> str:
        return " ".join(
            f'<span class="cue" role="button" tabindex="0" data-start="{c.start_ms}" '
            f'data-end="{c.end_ms}">{words(c)}</span>' for c in items)

    paragraphs = []
    for (_, section), group in groupby(body_cues, key=lambda c: (c.paragraph, c.section)):
        paragraphs.append(f'<p class="{e(section)}">{spans(list(group))}</p>')
    chapter_items = "".join(
        f'<li><button class="chapter" type="button" data-start="{c.start_ms}">'
        f"{e(c.title)} <span>({minutes_seconds(c.start_ms / 1000)})</span></button></li>"
        for c in chapters)
    # a long list is folded, so the article starts on a phone's first screen
    chapter_list = (f'<details{" open" if len(chapters) <= OPEN_CHAPTERS else ""}>'
                    f"<summary>Mục lục ({len(chapters)} phần)</summary>"
                    f"<ol>{chapter_items}</ol></details>") if chapters else ""
    speed_options = "".join(
        f'<option value="{s}"{" selected" if s == "1" else ""}>{s}×</option>' for s in SPEEDS)
    heading = spans(title_cues) if title_cues else e(script.title)
    return f"""<!doctype html>
<html lang="{e(script.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; media-src 'self' file: data: blob:; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; img-src 'none'">
<title>{e(script.title)}</title>
<style nonce="{nonce}">{CSS}</style>
</head>
<body>
<main>
<h1>{heading}</h1>
{f'<p class="byline">{e(byline)}</p>' if byline else ''}
{f'<p class="voice">Giọng đọc: {e(VOICE_NAMES.get(engine, engine))}</p>' if engine else ''}
<div class="player">
<audio id="audio" controls preload="metadata" src="{e(urllib.parse.quote(mp3_name))}"></audio>
<div class="controls">
<label for="speed">Tốc độ</label>
<select id="speed">{speed_options}</select>
<span class="keys">Phím: k phát/dừng · j/l câu trước/sau · Enter nghe từ câu này</span>
</div>
</div>
<nav aria-label="Mục lục">{chapter_list}</nav>
<article>
{chr(10).join(paragraphs)}
{f'<p class="byline">{spans(byline_cues)}</p>' if byline_cues else ''}
</article>
</main>
<script nonce="{nonce}">{JS}</script>
</body>
</html>
"""
