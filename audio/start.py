"""The command's entry point. A `build` first forks the child that loads the
text stage (see beside.py), before click and the rest are imported here."""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] != ["build"]:
        from .cli import main as cli_main

        return cli_main()
    from .beside import start_text_worker, stop_text_worker

    start_text_worker()
    try:
        from .cli import main as cli_main

        cli_main()
    finally:  # (an edition up to date, a dry run, a batch, an error: not needed)
        stop_text_worker()
