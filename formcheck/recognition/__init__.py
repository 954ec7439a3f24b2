"""Which exercise is this? A small model the project trains itself on synthetic clips.

    rec = recognise(smoothed_seq)             # Recognition(exercise, confidence, sure, alternatives)
    rec = recognise(seq, allowed=plan_ids)     # only among these ids (a session with a plan)

Features: formcheck.recognition.features (hand-made, per clip); model: formcheck.recognition.model
(a linear softmax stored as JSON in models/recognition.json); training data:
formcheck.recognition.synthetic; model card: models/README.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from formcheck.errors import FormcheckError
from formcheck.exercises.registry import get_exercise
from formcheck.pose.sequence import PoseSequence
from formcheck.recognition.features import features
from formcheck.recognition.model import MODEL_PATH, Classifier

# Ids whose movement the pose alone cannot tell apart (what differs is the box's place, not the
# body's): the model has one class, named by the first id, for all of them.
SAME_MOVEMENT: dict[str, tuple[str, ...]] = {"step_up": ("front_step_up", "side_step_up")}
ALTERNATIVES = 3

T = TypeVar("T")


@dataclass(frozen=True)
class Recognition:
    """The recognised exercise id, the model's confidence in it, whether that clears the model's
    threshold (`sure`), the next best ids with theirs, and ids that move the same way."""

    exercise: str
    confidence: float
    sure: bool
    alternatives: tuple[tuple[str, float], ...]
    same_movement: tuple[str, ...] = ()
    ranked: tuple[tuple[str, float], ...] = ()  # every candidate, most likely first
    no_reps: tuple[str, ...] = ()  # likelier candidates passed over: their counters found no rep
    # Why a confident answer is still not sure ("" when the confidence decides), e.g. a jump
    # exercise with no jump seen.
    unsure_because: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "confidence": round(self.confidence, 3), "sure": self.sure,
                "alternatives": [{"exercise": e, "confidence": round(c, 3)} for e, c in self.alternatives],
                "same_movement": list(self.same_movement), "no_reps": list(self.no_reps),
                "unsure_because": self.unsure_because}

    def message(self) -> str:
        alts = ", ".join(f"{e} {c:.0%}" for e, c in self.alternatives)
        if self.sure:
            return f"recognised as {self.exercise} ({self.confidence:.0%}; next: {alts})"
        passed = (f" ({', '.join(self.no_reps)} counted no rep in it)" if self.no_reps else
                  f" ({self.unsure_because})" if self.unsure_because else "")
        return (f"not sure which exercise this is: {self.exercise} {self.confidence:.0%}{passed}, "
                f"{alts}; its faults are marked possible until the exercise is named (--exercise)")


@lru_cache(maxsize=4)
def load_model(path: str | Path = MODEL_PATH) -> Classifier:
    return Classifier.load(path)


def model_digest(path: str | Path = MODEL_PATH) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]


def _class_ids(model: Classifier, allowed: set[str] | None) -> list[str | None]:
    """The exercise id each model class stands for (None: not allowed)."""
    out: list[str | None] = []
    for cls in model.classes:
        ids = (cls, *SAME_MOVEMENT.get(cls, ()))
        if allowed is None:
            out.append(cls)
        else:
            out.append(next((i for i in ids if i in allowed), None))
    return out


# Exercises defined by leaving the floor: one is recognised for certain only when a jump was seen
# in the clip (the flight count of formcheck.recognition.features: both feet up, taking off and
# landing inside the clip, the hips rising with them); without one the answer stands, unsure. A
# box jump lands on the box, where the count does not see a flight, so it is not among them.
NEEDS_FLIGHT = ("jump_squat", "plyometric_lunge")
FLIGHT_FEATURE = "jumps.per_dip"


def _unseen_jump(model: Classifier, x: np.ndarray, cls: str) -> bool:
    if cls not in NEEDS_FLIGHT or FLIGHT_FEATURE not in model.feature_names:
        return False
    flights = float(x[model.feature_names.index(FLIGHT_FEATURE)])
    return not (np.isfinite(flights) and flights > 0)


def recognise_features(x: np.ndarray, model: Classifier | None = None,
                       allowed: Iterable[str] | None = None) -> Recognition:
    """Recognition from a feature vector (formcheck.recognition.features)."""
    model = model or load_model()
    allow = None if allowed is None else {get_exercise(a).id for a in allowed}
    ids = _class_ids(model, allow)
    p = model.proba(x)
    p = np.where([i is not None for i in ids], p, 0.0)
    if p.sum() <= 0:
        p = np.full(len(ids), 1.0 / len(ids))
    p = p / p.sum()
    order = [int(k) for k in np.argsort(-p) if ids[int(k)] is not None]
    best = order[0]
    name = str(ids[best])
    alts = tuple((str(ids[k]), float(p[k])) for k in order[1:1 + ALTERNATIVES])
    same = tuple(i for i in (model.classes[best], *SAME_MOVEMENT.get(model.classes[best], ())) if i != name)
    ranked = tuple((str(ids[k]), float(p[k])) for k in order)
    no_jump = _unseen_jump(model, x, model.classes[best])
    because = f"no jump was seen, which a {get_exercise(name).name.lower()} needs" if no_jump else ""
    sure = bool(p[best] >= model.threshold) and not no_jump
    return Recognition(name, float(p[best]), sure, alts, same, ranked,
                       unsure_because=because if p[best] >= model.threshold else "")


def recognise(seq: PoseSequence, model: Classifier | None = None,
              allowed: Iterable[str] | None = None) -> Recognition:
    """Recognise the exercise in a smoothed PoseSequence (formcheck.smoothing.smooth_sequence).

    allowed: restrict the answer to these exercise ids (and aliases), e.g. a plan's exercises.
    """
    return recognise_features(features(seq), model, allowed)


def counting(rec: Recognition, analyse: Callable[[str], T],
             reps: Callable[[T], int]) -> tuple[Recognition, T]:
    """The recognition whose exercise's rep counter explains the movement, and its analysis: the
    recognised exercise when its analysis counts a rep, else the first of the other candidates,
    most likely first, that does (a set has reps: an exercise that finds none in it is not the one
    done), marked unsure; when none does, the recognised one.

    analyse(id) analyses the movement as that exercise; reps(analysis) is its rep count. A
    candidate whose analysis fails is passed over.
    """
    first = analyse(rec.exercise)
    if reps(first):
        return rec, first
    none = [rec.exercise]
    for alt, p in rec.ranked[1:]:
        if alt == rec.exercise:
            continue
        try:
            other = analyse(alt)
        except FormcheckError:
            continue
        if reps(other):
            alts = tuple((e, c) for e, c in rec.ranked if e != alt)[:len(rec.alternatives)]
            return replace(rec, exercise=alt, confidence=p, sure=False, alternatives=alts,
                           no_reps=tuple(none), unsure_because=""), other
        none.append(alt)
    return rec, first
