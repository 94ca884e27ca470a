"""Errors of the text side. Each message is one line a producer can act on."""


class ScriptError(Exception):
    """Base class: anything wrong with the article or the narration script."""


class ArticleError(ScriptError):
    """The article cannot be read, or there is nothing in it to narrate."""
