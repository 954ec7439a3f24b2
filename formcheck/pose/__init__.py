"""Pose types and estimators."""

from formcheck.pose.landmarks import Landmark, joint, other_side
from formcheck.pose.sequence import PoseSequence

__all__ = ["Landmark", "PoseSequence", "joint", "other_side"]
