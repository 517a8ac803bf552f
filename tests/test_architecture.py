"""The layout is a contract: layers point downward, no cycles, small modules, one wiring.

The layer contract lives in pyproject.toml ([tool.importlinter]) and is checked
with import-linter; a test proves the check fails on a deliberately upward
import, so a green run means something.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "audio_companion"
MAX_MODULE_LINES = 450

grimp = pytest.importorskip("grimp")


def lint_imports(cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(exe), "--no-cache", "--config", str(cwd / "pyproject.toml")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dependencies_point_downward_only() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    # A copy of the package where the lowest audio layer imports the CLI.
    shutil.copytree(PACKAGE, tmp_path / "audio_companion", ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    chunk = tmp_path / "audio_companion" / "audio" / "chunk.py"
    chunk.write_text(chunk.read_text() + "\nimport audio_companion.cli  # upward, on purpose\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = lint_imports(tmp_path, env)
    assert result.returncode != 0, result.stdout[-3000:]
    assert "audio_companion.audio.chunk -> audio_companion.cli" in result.stdout


def test_no_import_cycles_between_modules() -> None:
    # The CLI's command modules register on the group they import (click's
    # pattern); below the CLI, no module may import one that imports it back.
    graph = grimp.build_graph("audio_companion", cache_dir=None)
    cycles = set()
    for importer in graph.modules:
        if importer.startswith("audio_companion.cli"):
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            if graph.find_shortest_chain(importer=imported, imported=importer):
                cycles.add(tuple(sorted((importer, imported))))
    assert not cycles, sorted(cycles)


def test_every_module_can_be_read_in_one_sitting() -> None:
    sizes = {
        str(path.relative_to(REPO)): len(path.read_text("utf-8").splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES} == {}


def test_the_voice_stack_is_wired_in_one_place() -> None:
    # Microphone, speaker, recogniser, prompts and loop are put together once,
    # by the CLI's composition root; every command asks it for a stack.
    builders = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in {"VoiceLoop", "MicrophoneSource"}:
                    builders.add(str(path.relative_to(PACKAGE)))
    assert len(builders) == 1, sorted(builders)
