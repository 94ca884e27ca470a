"""Errors of the text side. Each message is one line a producer can act on."""


class ScriptError(Exception):
    """Base class: anything wrong with the article or the narration script."""


class ArticleError(ScriptError):
    """The article cannot be read, or there is nothing in it to narrate.
    `retryable`: a later try may mend it (the site answered 429 or 5xx, or
    could not be reached); `retry_after`: the seconds the site asked to wait."""

    def __init__(self, message: str, retryable: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
