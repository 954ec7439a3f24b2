"""Plans as data (routine 1, Workout A, Workout B) and the plans / exercises --json commands."""

from __future__ import annotations

import json

import pytest

from formcheck.cli import main
from formcheck.exercises.registry import EXERCISES, get_exercise
from formcheck.plans import PLANS_ENV, PlanError, get_plan, list_plans, load_plan


def test_shipped_plans_follow_the_routines():
    ids = {p.id for p in list_plans()}
    assert {"single_leg_routine", "workout_a", "workout_b"} <= ids
    routine = get_plan("routine_1")
    assert [i.exercise for i in routine.items] == [
        "walking_bridge", "single_leg_hip_thrust", "hip_hike", "front_step_up", "side_step_up",
        "pistol_squat", "single_leg_deadlift", "hot_salsa"]
    assert all(i.per_leg for i in routine.items[:-1]) and not routine.items[-1].per_leg
    a = get_plan("workout-a")
    assert a.item("walking_lunge") is not None and a.item("walking_lunge").prescription == "3 x 12 per leg"
    assert get_plan("workout_b").item("glute_bridge").reps == (15, 15)


def test_every_plan_item_names_a_registered_exercise():
    for plan in list_plans():
        for item in plan.items:
            assert get_exercise(item.exercise).id == item.exercise


def test_a_coach_adds_a_plan_without_code(tmp_path, monkeypatch):
    (tmp_path / "mine.json").write_text(json.dumps({
        "id": "mine", "name": "Pistols only",
        "items": [{"exercise": "single_leg_squat", "sets": 2, "reps": [5, 8]}]}))
    monkeypatch.setenv(PLANS_ENV, str(tmp_path))
    plan = get_plan("mine")
    assert plan.items[0].exercise == "pistol_squat" and plan.items[0].per_leg  # alias, default
    assert get_plan(str(tmp_path / "mine.json")) == plan


@pytest.mark.parametrize("items, message", [
    ([{"exercise": "burpee", "reps": [5, 8]}], "unknown exercise"),
    ([{"exercise": "squat", "reps": [9, 5]}], "min <= max"),
    ([{"exercise": "squat"}], "needs an exercise and reps"),
    ([], "at least one item"),
])
def test_malformed_plans_say_what_is_wrong(tmp_path, items, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"id": "bad", "items": items}))
    with pytest.raises(PlanError, match=message):
        load_plan(path)


def test_unknown_plan_lists_the_known_ones():
    with pytest.raises(PlanError, match="workout_a"):
        get_plan("workout_z")


def test_plans_command(capsys):
    assert main(["plans"]) == 0
    text = capsys.readouterr().out
    assert "single_leg_routine" in text and "walking_lunge: 3 x 12 per leg" in text
    assert main(["plans", "--json"]) == 0
    assert {p["id"] for p in json.loads(capsys.readouterr().out)} >= {"workout_a", "workout_b"}


def test_exercises_json_lists_every_exercise_with_its_contract(capsys):
    assert main(["exercises", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [e["id"] for e in listing] == list(EXERCISES)
    for e in listing:
        assert set(e) >= {"id", "name", "aliases", "per_leg", "views", "faults", "prescription"}
        ex = EXERCISES[e["id"]]
        assert e["per_leg"] == ex.per_leg and e["aliases"] == list(ex.aliases)
        assert set(e["faults"]) == {r.code for r in ex.rules}
        assert e["prescription"]["reps"] == list(ex.rep_range)
    lunge = next(e for e in listing if e["id"] == "lunge")
    assert "split_squat" in lunge["aliases"]
