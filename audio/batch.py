"""One orchestrator for one article and for many.

The text stage runs in this process, article by article (it is fast, and it
decides file names); each article's sound stage is `build_one`, called in
this process for one article, or on a pool of worker processes sharing the
clip cache for many. One article's failure does not stop the others; each
gives an Outcome, and the caller prints.

An article whose edition is up to date (see uptodate.py) is read, not
narrated: its Outcome says so, and nothing is written. The stages are
imported where they are first used, so that such a run stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from script import Script, ScriptError, escape_unsafe, read_source, slugify

from .cache import ClipCache
from .engines import EngineOptions
from .errors import AudioError
from .model import ClipPlan, Edition, EditionOptions
from .uptodate import Freshness

if TYPE_CHECKING:
    from script import Article

    from .render import Progress

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


@dataclass(frozen=True)
class Text:
    """An article through the text stage: its script and file name, or why not."""

    source: str
    script: Script | None
    slug: str = ""
    error: str = ""
    key: str = ""  # the hash of its inputs (uptodate.input_key)
    current: Path | None = None  # its edition, already up to date: nothing to build
    article: str = ""  # which article it is (`identity`), recorded in its edition


@dataclass(frozen=True)
class Job:
    """One article's sound stage: everything `build_one` needs, picklable."""

    source: str
    script: Script
    slug: str
    out_dir: Path
    engine_name: str  # already resolved: never "auto" here
    engine_options: EngineOptions
    options: EditionOptions
    cache_dir: Path | None = None  # None: no clip cache
    key: str = ""  # recorded in the edition, for the next up-to-date check
    article: str = ""  # recorded too: whose edition the file name holds


@dataclass(frozen=True)
class Outcome:
    source: str
    title: str = ""
    edition: Edition | None = None
    error: str = ""
    current: Path | None = None  # up to date: left as it was
    retryable: bool = False  # a failure a later try may mend (429, 5xx, no connection)
    retry_after: float | None = None  # seconds the server asked to wait, when it said

    @property
    def ok(self) -> bool:
        return not self.error


def expand(sources: Iterable[str]) -> list[str]:
    """Files and URLs as given; a directory means its article files, sorted."""
    out: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            out += [str(p) for p in sorted(path.iterdir())
                    if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]
        else:
            out.append(source)
    return out


class SlugNamer:
    """One file name per article in a batch: a name already given gets -2, -3...
    (checked against every name given, so 'a-2' from a duplicate never meets
    the 'a-2' of another title), and so does a name whose edition on disk is
    another article's (`taken(slug, article)`), so a build never replaces an
    edition of a different article that happens to have the same title."""

    def __init__(self, taken: Callable[[str, str], bool] = lambda slug, article: False) -> None:
        self.used: set[str] = set()
        self.taken = taken

    def __call__(self, title: str, article: str = "") -> str:
        base = slugify(title)
        slug, n = base, 1
        while slug in self.used or self.taken(slug, article):
            n += 1
            slug = f"{base}-{n}"
        self.used.add(slug)
        return slug


def identity(source: str) -> str:
    """Which article a source is, across runs: its URL, or its file's full
    path (control, bidi and undecodable characters escaped: it is published
    in the edition's JSON)."""
    if source.lower().startswith(("http://", "https://")):
        return escape_unsafe(source)
    return escape_unsafe(str(Path(source).resolve()))


def read_texts(sources: Iterable[str], narrate: Callable[[Article | Script], Script],
               encoding: str | None = None, allow_private: bool = False,
               warn: Callable[[str], None] = lambda message: None,
               fresh: Freshness | None = None,
               namer: Callable[[str, str], str] | None = None) -> Iterator[Text]:
    """The text stage, article by article: read, name (`namer`: title, article
    -> file name; default a SlugNamer), and narrate (`narrate`: article, or a
    narration script given as a source, -> the script to render) unless
    `fresh` finds its edition up to date."""
    name = namer or SlugNamer(fresh.taken if fresh else lambda slug, article: False)
    for source in sources:
        try:
            article = read_source(source, encoding, allow_private)
            if isinstance(article, Script):
                warn(f"{source} is a narration script: rendered as written (not read as "
                     f"an article)")
            slug = name(article.title, identity(source))
            key = fresh.key(article) if fresh else ""
            current = fresh.current(slug, key) if fresh else None
            if current is None:
                script = narrate(article)
        except ScriptError as e:
            yield Text(source, None, error=str(e))
            continue
        for warning in getattr(article, "warnings", ()):
            warn(warning)
        if current is not None:
            yield Text(source, None, slug, key=key, current=current)
        else:
            yield Text(source, script, slug, key=key, article=identity(source))


def jobs(texts: Iterable[Text], out_dir: Path, voice: Callable[[], str],
         engine_options: EngineOptions, options: EditionOptions,
         cache_dir: Path | None) -> Iterator[Job | Outcome]:
    """Each article's Job, or its Outcome when its text stage failed. `voice()`
    gives the engine's name ('auto' resolved); it is first asked when an
    article is ready, so a run whose articles all fail never probes a voice.
    Before the first Job, the cache is cleared of what killed builds left."""
    cleaned = False
    for text in texts:
        if text.current is not None:
            yield Outcome(text.source, current=text.current)
        elif text.script is None:
            yield Outcome(text.source, error=text.error)
        else:
            if cache_dir and not cleaned:
                ClipCache(cache_dir).clean_stale()
                cleaned = True
            yield Job(text.source, text.script, text.slug, Path(out_dir), voice(),
                      engine_options, options, cache_dir, text.key, text.article)


def clip_plan(script: Script, engine_identity: dict, cache: ClipCache | None) -> ClipPlan:
    """What a build of `script` would ask of the voice (for --dry-run)."""
    from .render import plan
    from .sequence import running_order

    return plan(running_order(script), engine_identity, cache)


def build_one(job: Job, progress: Progress | None = None) -> Outcome:
    """One article's sound stage; an error the producer can act on becomes the
    Outcome's message (anything else is a bug, and propagates)."""
    from .edition import build_edition
    from .engines import make_engine
    from .heap import keep_large_buffers

    keep_large_buffers()  # (a process-wide setting: made here, by the command's own code)
    try:
        engine = make_engine(job.engine_name, job.engine_options)
        cache = ClipCache(job.cache_dir) if job.cache_dir else None
        edition = build_edition(job.script, engine, job.out_dir, job.options, cache=cache,
                                progress=progress, slug=job.slug, input_key=job.key,
                                article=job.article)
    except (AudioError, ScriptError, OSError) as e:
        return Outcome(job.source, job.script.title, error=str(e),
                       retryable=getattr(e, "retryable", False),
                       retry_after=getattr(e, "retry_after", None))
    return Outcome(job.source, job.script.title, edition)


def run(jobs: Iterable[Job | Outcome], workers: int,
        on_done: Callable[[Outcome], None] = lambda o: None,
        progress: Progress | None = None) -> list[Outcome]:
    """Outcomes in the order of `jobs`. `jobs` may be a generator (the text
    stage of the next article runs while workers build the first ones); an
    Outcome in it is an article that already failed. With one worker the
    builds run here, one after the other (and `progress` sees each segment)."""
    results: list[Outcome | None] = []
    if workers <= 1:
        for job in jobs:
            results.append(job if isinstance(job, Outcome) else build_one(job, progress))
            on_done(results[-1])
        return [r for r in results if r is not None]
    import multiprocessing  # (50 ms to import: only for a batch)
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, not fork: the parent may hold threads (the probe's HTTP pool)
    context = multiprocessing.get_context("spawn")
    _tracker_ignores_hangups()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_worker_init) as pool:
        futures = {}
        try:
            for job in jobs:
                results.append(None)
                if isinstance(job, Outcome):
                    results[-1] = job
                    on_done(job)
                else:
                    futures[pool.submit(_work, job)] = (len(results) - 1, job)
            for future in as_completed(futures):
                i, job = futures[future]
                try:
                    results[i] = future.result()
                except Exception as e:  # the worker process died, or a bug in it
                    results[i] = Outcome(job.source, job.script.title,
                                         error=f"worker failed: {type(e).__name__}: {e}")
                on_done(results[i])
        except BaseException:  # Ctrl-C, SIGTERM: the workers stop too, and start nothing new
            for future in futures:
                future.cancel()
            processes = list(getattr(pool, "_processes", {}).values())
            for process in processes:
                if process.is_alive():
                    process.terminate()  # SIGTERM: it unwinds, removing its temporary files
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # a worker that does not leave in time is killed
                process.join(10)
                if process.is_alive():
                    process.kill()
                    process.join(5)
            raise
    return [r for r in results if r is not None]


def _tracker_ignores_hangups() -> None:
    """multiprocessing's resource tracker (a process of ours) ignores SIGINT
    and SIGTERM but dies of SIGHUP, which a closed terminal sends the whole
    group, and then prints tracebacks after the command has ended: it is
    started with SIGHUP ignored."""
    import signal
    import threading
    from multiprocessing import resource_tracker

    if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
        return  # (only the main thread may set a handler; a library caller's thread leaves it)
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        resource_tracker.ensure_running()
    finally:
        signal.signal(signal.SIGHUP, previous)


def _worker_init() -> None:
    """A batch worker stops on SIGTERM, SIGHUP or Ctrl-C like the command does:
    while it builds, by unwinding (its temporary files removed); idle, by
    leaving at once, without a traceback."""
    from .signals import set_busy, stop_on_signals

    set_busy(False)
    stop_on_signals(("SIGTERM", "SIGHUP", "SIGINT"))


def _work(job: Job) -> Outcome:
    """build_one in a worker; once the worker was asked to stop, the articles
    already handed to it are not started."""
    from .signals import Interrupted, set_busy, stopping

    if stopping():
        return Outcome(job.source, job.script.title, error="interrupted")
    set_busy(True)
    try:
        return build_one(job)
    except Interrupted:  # unwound: said by the command, not by a worker's traceback
        return Outcome(job.source, job.script.title, error="interrupted")
    finally:
        set_busy(False)
