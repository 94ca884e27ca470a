"""The import graph, read from the source (function-level imports included):
no circles anywhere, the sound side uses only the text side's public API,
the text side never imports the sound side, and the sound side's data types
sit at the bottom."""
from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("audio", "script")


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project's modules that `name` imports, anywhere in its code."""
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in known:
                    out.add(sub)
                elif target in known:
                    out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in edges.get(v, ()):
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_circle_and_a_relative_import():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    edges = graph()
    assert "audio.model" in edges["audio.edition"]  # from .model import ...
    assert "audio.ffmpeg" in edges["audio.edition"]  # from . import ffmpeg
    assert "script.normalizer.data" in edges["script.segment"]  # from .normalizer import data
    assert "script.decode" in edges["script.normalizer.rules"]  # from ..decode import ...


def test_no_import_circles():
    assert cycles(graph()) == []


def test_the_sound_side_uses_only_the_text_sides_public_api():
    reach_ins = {(name, target) for name, targets in graph().items() if name.startswith("audio")
                 for target in targets if target.startswith("script.")}
    assert reach_ins == set()


def test_the_text_side_never_imports_the_sound_side():
    assert {(n, t) for n, ts in graph().items() if n.startswith("script")
            for t in ts if t.startswith("audio")} == set()


def test_the_audio_data_types_import_no_stage():
    assert {t for t in graph()["audio.model"] if t.startswith("audio")} == set()
