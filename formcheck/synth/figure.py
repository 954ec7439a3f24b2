"""Joint-angle curves (Motion) to the 33 BlazePose landmarks in 3D, metres, body frame.

Every angle is exact in the view it is measured from. Sagittal quantities (knee flexion, trunk
inclination, hip extension, thigh-to-horizontal, foot pitch, ear-shoulder-hip) live in the (fwd, up)
plane and come back unchanged from a side view; frontal ones (FPPA, pelvic obliquity, lateral trunk
lean) live in the (lat, up) plane and come back unchanged from the front or back, because the knee's
sideways position is solved per frame for the requested FPPA. Segment lengths in 3D stretch a
little where a knee is moved sideways; the projected angles are what is exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from formcheck.pose.landmarks import NUM_LANDMARKS, Landmark
from formcheck.synth.body import BODY, Body, Curve, Motion

# ---- small vector helpers ---------------------------------------------------------------------

def _vec(lat: Curve, up: Curve, fwd: Curve) -> np.ndarray:
    lat, up, fwd = np.broadcast_arrays(np.asarray(lat, float), np.asarray(up, float),
                                       np.asarray(fwd, float))
    return np.stack([lat, up, fwd], axis=-1)


def _sag(angle_deg: np.ndarray, down: bool = False) -> np.ndarray:
    """Unit vector in the (fwd, up) plane at `angle_deg` from vertical-up (or -down), + forward."""
    a = np.radians(angle_deg)
    return _vec(0.0, -np.cos(a) if down else np.cos(a), np.sin(a))


def _tilted(sag_deg: np.ndarray, lateral_deg: np.ndarray, lat_sign: float) -> np.ndarray:
    """Unit vector whose side projection is sag_deg from vertical and front projection lateral_deg.

    Valid while the vector points upward in the side view (|sag_deg| < 90) for lateral_deg != 0.
    """
    s = np.radians(sag_deg)
    v = _vec(lat_sign * np.cos(s) * np.tan(np.radians(lateral_deg)), np.cos(s), np.sin(s))
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _bisect(f: Callable[[np.ndarray], np.ndarray], target: np.ndarray, lo: float, hi: float,
            iters: int = 60) -> np.ndarray:
    """Solve f(x) = target per element for f increasing on [lo, hi]; x, target: (T,)."""
    a = np.full(np.shape(target), lo, dtype=float)
    b = np.full(np.shape(target), hi, dtype=float)
    for _ in range(iters):
        m = (a + b) / 2
        below = f(m) < target
        a = np.where(below, m, a)
        b = np.where(below, b, m)
    return (a + b) / 2


def _ik_knee(hip: np.ndarray, ankle: np.ndarray, body: Body) -> np.ndarray:
    """Knee (fwd, up) of a two-bar leg reaching from hip to ankle, bending toward + fwd / + up.

    hip, ankle: (T, 3); only their (up, fwd) parts are used. A hip out of reach straightens the
    leg along the hip-ankle line. Returns (T, 3) with lat = 0.
    """
    d = ankle[:, 1:] - hip[:, 1:]  # (up, fwd)
    dist = np.linalg.norm(d, axis=1)
    reach = (body.thigh + body.shank) * (1 - 1e-9)
    dist_c = np.clip(dist, abs(body.thigh - body.shank) + 1e-9, reach)
    u = d / dist[:, None]
    along = (body.thigh**2 - body.shank**2 + dist_c**2) / (2 * dist_c)
    h = np.sqrt(np.maximum(body.thigh**2 - along**2, 0.0))
    perp = np.stack([u[:, 1], -u[:, 0]], axis=1)  # (up, fwd): the hip-ankle line turned forward
    knee = hip[:, 1:] + along[:, None] * u + h[:, None] * perp
    return _vec(0.0, knee[:, 0], knee[:, 1])


def _knee_lat(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, other_hip_lat: np.ndarray,
              fppa: np.ndarray, thigh: float, shank: float) -> np.ndarray:
    """Sideways knee position for a depth-corrected FPPA (+ = medial): the knee moved off the
    hip-ankle line by the offset d that makes atan(d / thigh) + atan(d / shank) = fppa, the
    projection angle that offset gives an upright leg (formcheck.exercises.measures.knee_valgus).

    A knee caving in is a sideways displacement, the same at any depth: drawn this way it does not
    shrink as the bent thigh turns toward a front camera.
    """
    k = (knee[:, 1] - hip[:, 1]) / (ankle[:, 1] - hip[:, 1])
    line = hip[:, 0] + k * (ankle[:, 0] - hip[:, 0])
    medial = np.sign(other_hip_lat - hip[:, 0])

    def angle(offset: np.ndarray) -> np.ndarray:
        return np.degrees(np.arctan(offset / thigh) + np.arctan(offset / shank))

    return line + medial * _bisect(angle, fppa, -0.5, 0.5)


def _foot_axes(pitch: np.ndarray, out: float, toe_out: float) -> tuple[np.ndarray, np.ndarray]:
    """Heel-to-toe unit axis and foot normal, (T, 3) each, for a foot pitched `pitch` (heel up).

    The toe-out turns the foot outward; the sagittal angle is corrected so that the side view
    still shows exactly `pitch`.
    """
    tau = np.radians(toe_out)
    p = np.radians(pitch)
    q = np.arctan2(np.sin(p) * np.cos(tau), np.cos(p))
    axis = _vec(out * np.sin(tau) * np.cos(q), -np.sin(q), np.cos(tau) * np.cos(q))
    normal = _vec(0.0, np.cos(q), np.sin(q))
    return axis, normal


def _planted_ankle(lat: float, fwd: float, floor: float, pitch: np.ndarray, out: float,
                   m: Motion, body: Body) -> np.ndarray:
    """Ankle (T, 3) of a foot whose toe stays on the floor while the heel lifts by `pitch`."""
    lift = body.ankle_h - body.sole_h
    flat_axis, flat_normal = _foot_axes(np.zeros_like(pitch), out, m.toe_out)
    toe = _vec(lat, floor + body.ankle_h, fwd) + flat_axis * body.toe_fwd - flat_normal * lift
    axis, normal = _foot_axes(pitch, out, m.toe_out)
    return toe - axis * body.toe_fwd + normal * lift


def _free_lm(hip: np.ndarray, thigh_dir: np.ndarray, knee_flex: np.ndarray, abduct: np.ndarray,
              out: float, body: Body) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Knee, ankle and foot pitch of a leg hanging from `hip` along the sagittal unit `thigh_dir`.

    The shank folds back from the thigh line by knee_flex; the whole leg then swings `abduct`
    degrees outward, which keeps its side-view angles. The foot sits at a right angle to the shank.
    """
    thigh_angle = np.arctan2(thigh_dir[:, 2], thigh_dir[:, 1])  # from vertical-up, + forward
    shank_angle = thigh_angle + np.radians(knee_flex)
    shank = _vec(0.0, np.cos(shank_angle), np.sin(shank_angle))
    spread = np.radians(abduct)[:, None]
    swing = np.array([0.0, 1.0, 1.0]) * np.cos(spread)

    def turned(v: np.ndarray) -> np.ndarray:
        return v * swing + _vec(out * np.sin(spread[:, 0]) * np.linalg.norm(v[:, 1:], axis=1),
                                0.0, 0.0)

    knee = hip + body.thigh * turned(thigh_dir)
    ankle = knee + body.shank * turned(shank)
    pitch = -np.degrees(np.arctan2(shank[:, 2], -shank[:, 1]))
    return knee, ankle, pitch


@dataclass
class _Skeleton:
    """Main joints (T, 3) by landmark, foot pitch (deg, heel up) by side, head orientation."""

    joints: dict[Landmark, np.ndarray]
    pitch: dict[str, np.ndarray]
    neck_dir: np.ndarray  # (T, 3) unit vector mid-shoulder -> head centre
    face_dir: np.ndarray  # (T, 3) unit vector the face looks along


def _lm(name: str, side: str) -> Landmark:
    return Landmark[f"{side.upper()}_{name.upper()}"]


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def _place_other_lm(m: Motion, sk: _Skeleton, body: Body) -> None:
    """Other leg: planted (knee solved from hip to a fixed foot) or free (hanging by angles)."""
    o = _other(m.chain)
    if _lm("knee", o) in sk.joints:
        return  # placed with the chain leg (a lateral lunge)
    hip = sk.joints[_lm("hip", o)]
    if m.other == "planted":
        fwd = m.foot_reach if m.lying else m.other_foot
        pitch = m.c("other_heel_lift")
        ankle = _planted_ankle(-m.sign * m.stance_width / 2, fwd, 0.0, pitch, -m.sign, m, body)
        knee = _ik_knee(hip, ankle, body)
        if m.lying:
            knee[:, 0] = (hip[:, 0] + ankle[:, 0]) / 2
        else:
            knee[:, 0] = _knee_lat(hip, knee, ankle, sk.joints[_lm("hip", m.chain)][:, 0],
                                   m.c("other_fppa"), body.thigh, body.shank)
    else:
        flex = m.c("other_knee_flex")
        if m.lying:
            chain_thigh = sk.joints[_lm("knee", m.chain)] - sk.joints[_lm("hip", m.chain)]
            base = np.degrees(np.arctan2(chain_thigh[:, 2], chain_thigh[:, 1]))
            thigh_dir = _sag(base - m.c("other_thigh"))
        else:
            thigh_dir = _sag(m.c("other_thigh"), down=True)
        knee, ankle, pitch = _free_lm(hip, thigh_dir, flex, m.c("other_abduct"), -m.sign, body)
        pitch = pitch + m.c("other_heel_lift")
    sk.joints[_lm("knee", o)] = knee
    sk.joints[_lm("ankle", o)] = ankle
    sk.pitch[o] = pitch


def _pelvis(m: Motion, chain_hip: np.ndarray, body: Body) -> np.ndarray:
    """Other hip from the chain hip: hip_w sideways, lower by hip_w * tan(pelvic_drop)."""
    drop = body.hip_w * np.tan(np.radians(m.c("pelvic_drop")))
    return chain_hip + _vec(-m.sign * body.hip_w, -drop, 0.0)


def _lateral_legs(m: Motion, body: Body) -> dict[Landmark, np.ndarray]:
    """Hips, knees and ankles of a lateral lunge (Motion.lateral), exact in 3D: the chain leg's
    hip-to-ankle distance follows its knee flexion, the other leg stays straight, both hips at one
    height; the pelvis sits where both legs reach their feet."""
    s, o, sign = m.chain, _other(m.chain), m.sign
    zero = np.zeros(len(m.t))
    ankle = _planted_ankle(sign * m.stance_width / 2, 0.0, 0.0, zero, sign, m, body)
    other_ankle = _planted_ankle(-sign * m.stance_width / 2, m.other_foot, 0.0, zero, -sign, m, body)
    leg = body.thigh + body.shank
    # Hip-to-ankle distance of the chain leg at its knee flexion (law of cosines).
    flex = np.radians(m.c("knee_flex"))
    reach = np.sqrt(body.thigh**2 + body.shank**2 + 2 * body.thigh * body.shank * np.cos(flex))
    # Lateral offsets of the hips from their ankles: a (chain) and b (other) with a + b = gap and
    # a^2 - b^2 = reach^2 - leg^2 (same hip height): the pelvis shifts toward the chain foot.
    gap = max(m.stance_width - body.hip_w, 1e-3)
    a = (gap + (reach**2 - leg**2) / gap) / 2
    b = gap - a
    height = np.sqrt(np.maximum(leg**2 - b**2, 1e-6))
    hip = ankle + _vec(-sign * a, height, 0.0)
    hip[:, 2] = (ankle[:, 2] + other_ankle[:, 2]) / 2
    other_hip = hip + _vec(-sign * body.hip_w, 0.0, 0.0)
    # The chain knee bends forward, in the plane of the hip-ankle line and the forward direction.
    line = ankle - hip
    dist = np.linalg.norm(line, axis=1)
    u = line / dist[:, None]
    fwd = _vec(0.0, 0.0, 1.0) - u * u[:, 2:3]
    fwd /= np.maximum(np.linalg.norm(fwd, axis=1, keepdims=True), 1e-9)
    along = (body.thigh**2 - body.shank**2 + dist**2) / (2 * dist)
    out = np.sqrt(np.maximum(body.thigh**2 - along**2, 0.0))
    knee = hip + along[:, None] * u + out[:, None] * fwd
    other_knee = other_hip + (other_ankle - other_hip) * (body.thigh / leg)
    return {_lm("hip", s): hip, _lm("knee", s): knee, _lm("ankle", s): ankle,
            _lm("hip", o): other_hip, _lm("knee", o): other_knee, _lm("ankle", o): other_ankle}


def _standing(m: Motion, body: Body) -> _Skeleton:
    """Chain leg from the floor up, pelvis, trunk; the chain knee moved sideways for its FPPA."""
    s = m.chain
    if m.lateral:
        joints = _lateral_legs(m, body)
        mid_hip = (joints[_lm("hip", s)] + joints[_lm("hip", _other(s))]) / 2
        neck_angle = m.c("trunk") + m.c("neck_flex")
        sk = _Skeleton(joints=joints, pitch={s: m.c("heel_lift"), _other(s): m.c("other_heel_lift")},
                       neck_dir=_tilted(neck_angle, m.c("lean"), m.sign),
                       face_dir=_sag(neck_angle + 90.0))
        trunk_dir = _tilted(m.c("trunk"), m.c("lean"), m.sign)
        _shoulders(sk, mid_hip + trunk_dir * body.trunk * (1 - m.c("chord_loss"))[:, None], body)
        return sk
    lift, tilt = m.c("heel_lift"), m.c("shank_tilt")
    ankle = _planted_ankle(m.sign * m.stance_width / 2, 0.0, m.box, lift, m.sign, m, body)
    knee = ankle + body.shank * _sag(tilt)
    hip = knee + body.thigh * _sag(tilt - m.c("knee_flex"))
    hip[:, 0] = m.sign * body.hip_w / 2
    other_hip = _pelvis(m, hip, body)
    knee[:, 0] = _knee_lat(hip, knee, ankle, other_hip[:, 0], m.c("fppa"), body.thigh, body.shank)
    mid_hip = (hip + other_hip) / 2
    trunk_dir = _tilted(m.c("trunk"), m.c("lean"), m.sign)
    neck_angle = m.c("trunk") + m.c("neck_flex")
    sk = _Skeleton(
        joints={_lm("hip", s): hip, _lm("knee", s): knee, _lm("ankle", s): ankle,
                _lm("hip", _other(s)): other_hip},
        pitch={s: lift},
        neck_dir=_tilted(neck_angle, m.c("lean"), m.sign),
        face_dir=_sag(neck_angle + 90.0),
    )
    _shoulders(sk, mid_hip + trunk_dir * body.trunk * (1 - m.c("chord_loss"))[:, None], body)
    return sk


def _shoulders(sk: _Skeleton, mid: np.ndarray, body: Body) -> None:
    half = _vec(body.shoulder_w / 2, 0.0, 0.0)
    sk.joints[Landmark.LEFT_SHOULDER] = mid + half
    sk.joints[Landmark.RIGHT_SHOULDER] = mid - half


def _bridge(theta: np.ndarray, m: Motion, body: Body) -> tuple[np.ndarray, ...]:
    """Lying figure with the trunk raised theta degrees: (HE of the chain leg, hip, knee, ankle).

    HE is the signed shoulder-hip-knee angle of the side view (> 180 with the hip above the line).
    """
    sh = _vec(0.0, body.lying_shoulder_h, 0.0)
    th = np.radians(theta)
    mid_hip = sh + body.trunk * _vec(0.0, np.sin(th), np.cos(th))
    drop = body.hip_w * np.tan(np.radians(m.c("pelvic_drop")))
    hip = mid_hip + _vec(m.sign * body.hip_w / 2, drop / 2, 0.0)
    zero = np.zeros_like(theta)
    ankle = _planted_ankle(m.sign * m.stance_width / 2, m.foot_reach, 0.0, zero, m.sign, m, body)
    knee = _ik_knee(hip, ankle, body)
    a = sh[..., 1:] - hip[:, 1:]
    b = knee[:, 1:] - hip[:, 1:]
    inner = np.degrees(np.arctan2(np.abs(a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]), (a * b).sum(1)))
    slope = (knee[:, 1] - sh[..., 1]) / (knee[:, 2] - sh[..., 2])
    line_up = sh[..., 1] + (hip[:, 2] - sh[..., 2]) * slope
    he = np.where(hip[:, 1] > line_up, 360.0 - inner, inner)
    return he, hip, knee, ankle


def _lying(m: Motion, body: Body) -> _Skeleton:
    """On the back, shoulders on the floor, chain foot flat: trunk raised until HE = hip_ext."""
    # The hips go no lower than the floor: below the shoulders when these rest on a bench.
    lowest = -float(np.degrees(np.arcsin(min(body.lying_shoulder_h / body.trunk, 1.0))))
    theta = _bisect(lambda th: _bridge(th, m, body)[0], m.c("hip_ext"), lowest, 75.0)
    _, hip, knee, ankle = _bridge(theta, m, body)
    knee[:, 0] = (hip[:, 0] + ankle[:, 0]) / 2
    neck_angle = m.c("neck_flex") - 90.0  # head resting on the floor beyond the shoulders
    s = m.chain
    sk = _Skeleton(
        joints={_lm("hip", s): hip, _lm("knee", s): knee, _lm("ankle", s): ankle,
                _lm("hip", _other(s)): _pelvis(m, hip, body)},
        pitch={s: np.zeros_like(theta)},
        neck_dir=_sag(neck_angle),
        face_dir=_sag(neck_angle + 90.0),
    )
    _shoulders(sk, _vec(0.0, body.lying_shoulder_h, np.zeros_like(theta)), body)
    return sk


# Face points from the head centre: (lat, along the neck, along the gaze), metres. The ears sit
# on the neck line so that ear-shoulder-hip reads the neck angle exactly from the side.
_FACE = {
    Landmark.NOSE: (0.0, -0.005, 0.105),
    Landmark.LEFT_EYE_INNER: (0.016, 0.03, 0.092),
    Landmark.LEFT_EYE: (0.033, 0.032, 0.088),
    Landmark.LEFT_EYE_OUTER: (0.05, 0.03, 0.078),
    Landmark.LEFT_EAR: (0.075, 0.0, 0.0),
    Landmark.MOUTH_LEFT: (0.025, -0.05, 0.09),
}


def _head(sk: _Skeleton, body: Body, out: np.ndarray) -> None:
    mid = (sk.joints[Landmark.LEFT_SHOULDER] + sk.joints[Landmark.RIGHT_SHOULDER]) / 2
    centre = mid + body.neck * sk.neck_dir
    for lm, (lat, along, gaze) in _FACE.items():
        pairs = [(lm, lat)]
        if lm.name.startswith("LEFT_") or lm.name.startswith("MOUTH_LEFT"):
            twin = Landmark[lm.name.replace("LEFT", "RIGHT")]
            pairs.append((twin, -lat))
        for target, x in pairs:
            out[:, target] = centre + _vec(x, 0.0, 0.0) + along * sk.neck_dir + gaze * sk.face_dir


def _arms(m: Motion, sk: _Skeleton, body: Body, out: np.ndarray) -> None:
    swing, abduct = np.radians(m.c("arm")), np.radians(m.c("arm_abduct"))
    fore_swing = swing + np.radians(m.c("elbow"))
    for side, o in (("left", 1.0), ("right", -1.0)):
        upper = _vec(o * np.sin(abduct), -np.cos(swing) * np.cos(abduct),
                     np.sin(swing) * np.cos(abduct))
        fore = _vec(o * np.sin(abduct), -np.cos(fore_swing) * np.cos(abduct),
                    np.sin(fore_swing) * np.cos(abduct))
        elbow = sk.joints[_lm("shoulder", side)] + body.upper_arm * upper
        wrist = elbow + body.forearm * fore
        out[:, _lm("elbow", side)] = elbow
        out[:, _lm("wrist", side)] = wrist
        out[:, _lm("index", side)] = wrist + 0.09 * fore + _vec(o * 0.01, 0.0, 0.0)
        out[:, _lm("pinky", side)] = wrist + 0.075 * fore + _vec(o * 0.03, 0.0, 0.0)
        out[:, _lm("thumb", side)] = wrist + 0.05 * fore + _vec(-o * 0.01, 0.0, 0.025)


def _feet(m: Motion, sk: _Skeleton, body: Body, out: np.ndarray) -> None:
    lift = body.ankle_h - body.sole_h
    for side, o in (("left", 1.0), ("right", -1.0)):
        axis, normal = _foot_axes(sk.pitch[side], o, m.toe_out)
        ankle = sk.joints[_lm("ankle", side)]
        out[:, _lm("heel", side)] = ankle - axis * body.heel_back - normal * lift
        out[:, _lm("foot_index", side)] = ankle + axis * body.toe_fwd - normal * lift


def landmarks(m: Motion, body: Body = BODY) -> np.ndarray:
    """(T, 33, 3) body-frame landmark positions of the figure, metres (lat, up, fwd)."""
    sk = _lying(m, body) if m.lying else _standing(m, body)
    _place_other_lm(m, sk, body)
    out = np.full((len(m.t), NUM_LANDMARKS, 3), np.nan)
    for lm, p in sk.joints.items():
        out[:, lm] = p
    _head(sk, body, out)
    _arms(m, sk, body, out)
    _feet(m, sk, body, out)
    return out

