"""The shape of the code: layers that only import downwards, no import cycles, a public API.

Every import counts (top of module, inside functions, under TYPE_CHECKING): a lazy import is still
a dependency.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import formcheck

ROOT = Path(__file__).resolve().parents[1]

# Lowest first; a module belongs to the longest prefix listed. Same-layer imports are allowed
# (cycles are checked apart).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("foundation", ("formcheck.errors", "formcheck.progress", "formcheck.forked", "formcheck.faults",
                    "formcheck.reps",
                    "formcheck.drawing", "formcheck.report", "formcheck.video", "formcheck.encoder",
                    "formcheck.pose.landmarks", "formcheck.pose.frame", "formcheck.pose.scene",
                    "formcheck.pose.sequence", "formcheck.synth.body")),
    ("pose", ("formcheck.pose", "formcheck.smoothing", "formcheck.geometry", "formcheck.legs",
              "formcheck.view")),
    ("rules", ("formcheck.exercises", "formcheck.rules", "formcheck.judging", "formcheck.mismatch",
               "formcheck.catalogue", "formcheck.summary", "formcheck.plans")),
    ("stages", ("formcheck.analysis", "formcheck.live", "formcheck.recognition", "formcheck.session",
                "formcheck.synth", "formcheck.mannequin", "formcheck.evidence", "formcheck.evaluation")),
    ("output", ("formcheck.overlay", "formcheck.render", "formcheck.console",
                "formcheck.session.console", "formcheck.session.video")),
    ("public API", ("formcheck",)),
    ("shells", ("formcheck.cli", "formcheck.live_runner", "formcheck.synth.__main__")),
    ("service", ("api",)),
]


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted([*ROOT.glob("formcheck/**/*.py"), *ROOT.glob("api/**/*.py")]):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _owner(name: str) -> str:
    """The module (or package) an imported name lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package
                for _ in range(node.level - 1):
                    up = up.rpartition(".")[0]
                base = f"{up}.{base}" if base else up
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in ("formcheck", "api"):
                owner = _owner(target)
                if owner and owner != name:
                    found.add(owner)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    best, depth = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = i, len(prefix)
    return best


def test_every_module_has_a_layer():
    assert [m for m in MODULES if layer_of(m) < 0] == []


def test_imports_only_go_down_the_layers():
    upward = [f"{m} ({LAYERS[layer_of(m)][0]}) imports {t} ({LAYERS[layer_of(t)][0]})"
              for m, targets in GRAPH.items() for t in sorted(targets) if layer_of(t) > layer_of(m)]
    assert upward == []


def test_the_library_never_imports_the_service():
    assert {m: sorted(t) for m, ts in GRAPH.items() if m.startswith("formcheck")
            for t in [[x for x in ts if x.startswith("api")]] if t} == {}


def test_the_service_uses_the_public_api_only():
    """api imports `formcheck` itself (and the command line it extends), never its insides."""
    allowed = {"formcheck", "formcheck.cli"}
    inside = {m: sorted(t) for m, ts in GRAPH.items() if m.startswith("api")
              for t in [[x for x in ts if x.startswith("formcheck") and x not in allowed]] if t}
    assert inside == {}


def _cycles() -> list[list[str]]:
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
        for w in GRAPH[v]:
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
            if len(component) > 1:
                found.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle(monkeypatch):
    monkeypatch.setitem(GRAPH, "formcheck.reps", GRAPH["formcheck.reps"] | {"formcheck.analysis"})
    assert any("formcheck.reps" in c and "formcheck.analysis" in c for c in _cycles())


def test_analysis_does_not_draw_and_judging_is_shared():
    assert not GRAPH["formcheck.analysis"] & {"formcheck.render", "formcheck.overlay", "formcheck.encoder"}
    assert "formcheck.judging" in GRAPH["formcheck.analysis"]
    assert "formcheck.judging" in GRAPH["formcheck.live"]
    assert "formcheck.analysis" not in GRAPH["formcheck.live"]


def test_public_api_names_resolve_and_agree():
    """__all__, the lazy table and the names type checkers see are the same, and each loads."""
    tree = ast.parse((ROOT / "formcheck" / "__init__.py").read_text())
    typed = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
             and (node.module or "").startswith("formcheck") for a in node.names}
    assert sorted(formcheck.__all__) == sorted(formcheck._EXPORTS) == sorted(typed)
    for name in formcheck.__all__:
        module = importlib.import_module(formcheck._EXPORTS[name])
        assert getattr(formcheck, name) is getattr(module, name)
    with pytest.raises(AttributeError):
        formcheck.no_such_name  # noqa: B018
    assert (ROOT / "formcheck" / "py.typed").is_file()


def test_importing_the_library_loads_no_pose_model():
    """`import formcheck` is cheap, and analysis and live load MediaPipe only when a model runs."""
    code = ("import sys, formcheck; assert 'numpy' not in sys.modules, 'numpy'; "
            "from formcheck import analyze_poses, LiveSession, PoseEstimator; "
            "assert 'mediapipe' not in sys.modules, 'mediapipe'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_exercise_tuned_with_replace_runs_without_the_registry():
    """analyze_poses takes the Exercise object itself: a tuned rule needs no monkeypatching."""
    from dataclasses import replace

    from formcheck import analyze_poses, get_exercise, synth

    squat = get_exercise("squat")
    seq = synth.squat(view="side", reps=3, depth_deg=80.0)

    def never(rule):  # the limit moved out of reach
        return replace(rule, limit=-1e6 if rule.direction == "below" else 1e6)

    lenient = replace(squat, rules=tuple(never(r) if r.code == "shallow_depth" else r
                                         for r in squat.rules))
    assert "shallow_depth" in {f.code for f in analyze_poses(seq, squat).report.faults}
    tuned = analyze_poses(seq, lenient)
    assert tuned.exercise is lenient
    assert "shallow_depth" not in {f.code for f in tuned.report.faults}
