"""The recognition classifier: standardised features -> a small neural net -> class probabilities.

Stored as JSON (plain numbers, no code, nothing unpickled): classes, feature names, the
standardisation, the weights of each layer, the confidence below which recognition is unsure, and
how the model was made. A linear softmax, or a net with one hidden tanh layer, is trained by
L-BFGS with L2 weight decay: deterministic for a given seed and data, seconds to train on a few
thousand clips (the shipped model is linear: models/README.md says why).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from formcheck.errors import FormcheckError

MODEL_PATH = Path(__file__).resolve().parents[2] / "models" / "recognition.json"


class ModelError(FormcheckError):
    """The recognition model file is missing or not a FormCheck model."""


@dataclass
class Classifier:
    classes: list[str]
    feature_names: list[str]
    mean: np.ndarray  # (F,) training mean: standardisation, and the value of a missing feature
    std: np.ndarray  # (F,)
    layers: list[tuple[np.ndarray, np.ndarray]]  # (W (in, out), b (out,)) per layer, tanh between
    threshold: float = 0.5  # below this top probability the recognition is unsure
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, x: np.ndarray) -> np.ndarray:
        """(N, F) or (F,) features -> (N, C) or (C,) class probabilities."""
        one = x.ndim == 1
        z = np.atleast_2d(np.asarray(x, dtype=np.float64))
        z = np.where(np.isfinite(z), z, self.mean)
        h = (z - self.mean) / self.std
        for i, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if i < len(self.layers) - 1:
                h = np.tanh(h)
        h = h - h.max(axis=1, keepdims=True)
        p = np.exp(h)
        p /= p.sum(axis=1, keepdims=True)
        return p[0] if one else p

    def to_dict(self) -> dict[str, Any]:
        return {"format": "formcheck-recognition/1", "classes": self.classes,
                "feature_names": self.feature_names, "mean": _r(self.mean), "std": _r(self.std),
                "layers": [{"W": _r(w), "b": _r(b)} for w, b in self.layers],
                "threshold": self.threshold, "meta": self.meta}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), separators=(",", ":")) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Classifier:
        try:
            raw = json.loads(Path(path).read_text())
            if raw.get("format") != "formcheck-recognition/1":
                raise ValueError(f"format {raw.get('format')!r}")
            layers = [(np.asarray(lay["W"], dtype=np.float64), np.asarray(lay["b"], dtype=np.float64))
                      for lay in raw["layers"]]
            return cls(list(raw["classes"]), list(raw["feature_names"]),
                       np.asarray(raw["mean"], dtype=np.float64), np.asarray(raw["std"], dtype=np.float64),
                       layers, float(raw["threshold"]), dict(raw.get("meta", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"{path}: not a FormCheck recognition model ({exc}); retrain with "
                             "`python -m formcheck.recognition.training`") from None


def _r(a: np.ndarray) -> Any:
    return np.round(np.asarray(a, dtype=np.float64), 6).tolist()


def fit(x: np.ndarray, y: np.ndarray, classes: list[str], feature_names: list[str], hidden: int = 32,
        decay: float = 1e-3, seed: int = 0, max_iter: int = 600) -> Classifier:
    """Train on (N, F) features and (N,) integer labels; NaN features take the training mean."""
    mean = np.nanmean(x, axis=0)
    mean = np.where(np.isfinite(mean), mean, 0.0)
    z = np.where(np.isfinite(x), x, mean)
    std = z.std(axis=0)
    std = np.where(std > 1e-9, std, 1.0)
    h0 = (z - mean) / std
    n_in, n_out = h0.shape[1], len(classes)
    shapes = [(n_in, hidden), (hidden,), (hidden, n_out), (n_out,)] if hidden else [(n_in, n_out), (n_out,)]
    rng = np.random.default_rng(seed)
    init = np.concatenate([rng.normal(0, 1 / np.sqrt(s[0]), s).ravel() if len(s) == 2 else np.zeros(s)
                           for s in shapes])
    onehot = np.eye(n_out)[y]

    def unpack(v: np.ndarray) -> list[np.ndarray]:
        out, i = [], 0
        for s in shapes:
            k = int(np.prod(s))
            out.append(v[i:i + k].reshape(s))
            i += k
        return out

    def loss(v: np.ndarray) -> tuple[float, np.ndarray]:
        ps = unpack(v)
        if hidden:
            a = np.tanh(h0 @ ps[0] + ps[1])
            logits = a @ ps[2] + ps[3]
        else:
            logits = h0 @ ps[0] + ps[1]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        n = len(y)
        nll = -np.log(np.maximum(p[np.arange(n), y], 1e-12)).mean()
        weights = [ps[0]] + ([ps[2]] if hidden else [])
        reg = 0.5 * decay * sum(float((w * w).sum()) for w in weights)
        d = (p - onehot) / n
        if hidden:
            g_w2, g_b2 = a.T @ d + decay * ps[2], d.sum(0)
            da = (d @ ps[2].T) * (1 - a * a)
            grads = [h0.T @ da + decay * ps[0], da.sum(0), g_w2, g_b2]
        else:
            grads = [h0.T @ d + decay * ps[0], d.sum(0)]
        return nll + reg, np.concatenate([g.ravel() for g in grads])

    res = minimize(loss, init, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    ps = unpack(res.x)
    layers = [(ps[0], ps[1])] + ([(ps[2], ps[3])] if hidden else [])
    return Classifier(classes, feature_names, mean, std, layers)
