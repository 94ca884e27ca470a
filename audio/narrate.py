"""The text stage of a build as one function of plain data (an article or a
narration script, the voice's segment limit, the lexicon), so that a child
process forked before anything else was loaded can run it (see beside.py)."""
from __future__ import annotations

from typing import Callable, Mapping


def preload() -> None:
    """Load what making a script needs (see script.preload). A failure (the
    word segmenter missing) is left for `narrate` to raise, as one line."""
    try:
        from script import preload as load_text_stage

        load_text_stage()
    except Exception:
        pass


def as_written(script, limit: int, speak: Callable[[], object]):
    """A narration script as the voice takes it: a `title:` the editor changed
    re-narrated (`speak()` gives the reading rules, loaded only then), and a
    spoken line longer than the voice takes cut as build cuts a paragraph (a
    hand-written script may hold a whole article on one line)."""
    from script import fit_script, follow_title

    return fit_script(follow_title(script, limit, speak), limit)


def narrate(given, limit: int, speak: Callable[[], object]):
    """The script to render for an article (made with the reading rules
    `speak()` gives) or for a narration script given to build (as written)."""
    from script import Script, make_script

    if isinstance(given, Script):
        return as_written(given, limit, speak)
    return make_script(given, limit, speak())


def narrate_with_lexicon(given, limit: int, lexicon: Mapping[str, str] | None):
    from script import Normalizer

    return narrate(given, limit, lambda: Normalizer(lexicon))
