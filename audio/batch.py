"""Many articles at once: the text stage in this process (it is fast, and it
decides file names), the sound stage on a pool of worker processes sharing
the clip cache. One article's failure does not stop the others."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from script import Script, ScriptError, slugify

from .edition import EditionOptions, build_edition
from .engines import EngineOptions, make_engine
from .errors import AudioError

ARTICLE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass(frozen=True)
class Job:
    source: str
    script: Script
    slug: str
    out_dir: Path
    engine_name: str  # already resolved: never "auto" here
    engine_options: EngineOptions
    options: EditionOptions


@dataclass(frozen=True)
class Outcome:
    source: str
    title: str = ""
    mp3: str = ""
    seconds: float = 0.0
    segments: int = 0
    cached: int = 0
    synthesized: int = 0
    error: str = ""

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
    the 'a-2' of another title)."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, title: str) -> str:
        base = slugify(title)
        slug, n = base, 1
        while slug in self.used:
            n += 1
            slug = f"{base}-{n}"
        self.used.add(slug)
        return slug


def build_one(job: Job) -> Outcome:
    """One article's sound stage; every error becomes the Outcome's message."""
    try:
        engine = make_engine(job.engine_name, job.engine_options)
        edition = build_edition(job.script, engine, job.out_dir, job.options, slug=job.slug)
    except (AudioError, ScriptError, OSError) as e:
        return Outcome(job.source, job.script.title, error=str(e))
    except Exception as e:  # a worker must report, not crash the batch
        return Outcome(job.source, job.script.title, error=f"{type(e).__name__}: {e}")
    r = edition.report
    return Outcome(job.source, job.script.title, str(edition.mp3), edition.seconds,
                   edition.segments, r.cached, r.synthesized)


def run(jobs: Iterable[Job | Outcome], workers: int,
        on_done: Callable[[Outcome], None] = lambda o: None) -> list[Outcome]:
    """Outcomes in the order of `jobs`. `jobs` may be a generator (the text
    stage of the next article runs while workers build the first ones); an
    Outcome in it is an article that already failed."""
    results: list[Outcome | None] = []
    if workers <= 1:
        for job in jobs:
            results.append(job if isinstance(job, Outcome) else build_one(job))
            on_done(results[-1])
        return [r for r in results if r is not None]
    # spawn, not fork: the parent may hold threads (the probe's HTTP pool)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {}
        try:
            for job in jobs:
                results.append(None)
                if isinstance(job, Outcome):
                    results[-1] = job
                    on_done(job)
                else:
                    futures[pool.submit(build_one, job)] = (len(results) - 1, job)
            for future in as_completed(futures):
                i, job = futures[future]
                try:
                    results[i] = future.result()
                except Exception as e:  # the worker process died
                    results[i] = Outcome(job.source, job.script.title,
                                         error=f"worker failed: {type(e).__name__}: {e}")
                on_done(results[i])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return [r for r in results if r is not None]
