"""Train the recognition model from synthetic clips only, reproducibly:

    python -m formcheck.recognition.training            # writes models/recognition.json

Draws `--per-class` training clips of every movement (formcheck.recognition.synthetic) from one
seed and a held-back set from another, fits the classifier (formcheck.recognition.model), picks
the unsure threshold on the held-back set and prints its accuracy and confusions.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np

from formcheck.recognition.features import feature_names, features
from formcheck.recognition.model import MODEL_PATH, Classifier, fit
from formcheck.recognition.movements import MOVEMENTS
from formcheck.recognition.synthetic import example

# Among held-back clips recognised with at least the threshold's confidence, at most this share
# may be wrong: the threshold is the lowest confidence that keeps to it.
MAX_SURE_ERROR = 0.01


def _class_features(args: tuple[str, int, int, int]) -> np.ndarray:
    name, k, n, seed = args
    rng = np.random.default_rng([seed, k])  # one stream per class: the same clips whatever --jobs
    return np.asarray([features(example(name, rng)) for _ in range(n)])


def dataset(per_class: int, seed: int, jobs: int = 1) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(N, F) features of per_class drawn clips of every class, (N,) labels, the class names."""
    classes = list(MOVEMENTS)
    work = [(name, k, per_class, seed) for k, name in enumerate(classes)]
    if jobs > 1:
        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            parts = pool.map(_class_features, work, chunksize=1)
    else:
        parts = [_class_features(w) for w in work]
    y = np.repeat(np.arange(len(classes)), per_class)
    return np.concatenate(parts), y, classes


def pick_threshold(proba: np.ndarray, y: np.ndarray, max_error: float = MAX_SURE_ERROR) -> float:
    """The lowest top-probability threshold whose confident predictions are wrong at most
    max_error of the time on held-back data."""
    top = proba.max(axis=1)
    right = proba.argmax(axis=1) == y
    for t in np.arange(0.3, 0.96, 0.01):
        sure = top >= t
        if sure.any() and 1 - right[sure].mean() <= max_error:
            return round(float(t), 2)
    return 0.95


def confusions(proba: np.ndarray, y: np.ndarray, classes: list[str]) -> list[str]:
    pred = proba.argmax(axis=1)
    lines = []
    for k, name in enumerate(classes):
        wrong = pred[(y == k) & (pred != k)]
        if wrong.size:
            counts = np.bincount(wrong, minlength=len(classes))
            worst = ", ".join(f"{classes[j]} {counts[j]}" for j in np.argsort(-counts)[:3] if counts[j])
            lines.append(f"  {name}: {(pred[y == k] == k).mean():.1%} right; taken for {worst}")
    return lines


def train(per_class: int = 150, held_back: int = 50, seed: int = 0, hidden: int = 0,
          decay: float = 0.01, out: Path = MODEL_PATH, jobs: int = 1) -> Classifier:
    start = time.time()
    x, y, classes = dataset(per_class, seed, jobs)
    xt, yt, _ = dataset(held_back, seed + 1, jobs)
    model = fit(x, y, classes, feature_names(), hidden=hidden, decay=decay, seed=seed)
    proba = model.proba(xt)
    model.threshold = pick_threshold(proba, yt)
    acc = float((proba.argmax(axis=1) == yt).mean())
    sure = proba.max(axis=1) >= model.threshold
    model.meta = {
        "trained_on": f"{per_class} synthetic clips per class (seed {seed})",
        "held_back": f"{held_back} synthetic clips per class (seed {seed + 1})",
        "held_back_accuracy": round(acc, 4),
        "held_back_sure_share": round(float(sure.mean()), 4),
        "held_back_sure_accuracy": round(float((proba.argmax(axis=1) == yt)[sure].mean()), 4),
        "hidden_units": hidden,
        "weight_decay": decay,
        "command": f"python -m formcheck.recognition.training --per-class {per_class} "
                   f"--held-back {held_back} --seed {seed} --hidden {hidden} --decay {decay}",
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    model.save(out)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{len(classes)} classes, {len(x)} training clips, {len(xt)} held back; "
          f"{time.time() - start:.0f} s")
    print(f"held-back accuracy {acc:.1%}; threshold {model.threshold}: sure on {sure.mean():.1%}, "
          f"right on {model.meta['held_back_sure_accuracy']:.1%} of those")
    print("\n".join(confusions(proba, yt, classes)))
    print(f"{out} ({out.stat().st_size / 1024:.0f} KiB, sha256 {digest})")
    return model


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-class", type=int, default=150)
    p.add_argument("--held-back", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--hidden", type=int, default=0, help="hidden tanh units (0: linear softmax)")
    p.add_argument("--decay", type=float, default=0.01)
    p.add_argument("--out", type=Path, default=MODEL_PATH)
    p.add_argument("--jobs", type=int, default=1, help="processes drawing clips (same result for any)")
    a = p.parse_args(argv)
    train(a.per_class, a.held_back, a.seed, a.hidden, a.decay, a.out, a.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
