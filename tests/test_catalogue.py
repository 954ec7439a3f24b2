"""Words for people: the left-versus-right verdict in plain words and units, names from one place."""

from formcheck.catalogue import VIEW_NAMES, fault_title, fmt, measure_of
from formcheck.exercises.registry import get_exercise, list_exercises
from formcheck.report import Fault, Rep
from formcheck.summary import asymmetry


def rep(i: int, side: str | None, metrics: dict[str, float], faults: int = 0) -> Rep:
    fs = tuple(Fault("knee_valgus", "minor", 1.0, 15.0, 12.0, "deg", "", side, i)
               for _ in range(faults))
    return Rep(i, side, float(i), float(i) + 0.5, float(i) + 1.0, fs, metrics)


def test_per_leg_verdict_names_the_worse_leg_in_words_and_units():
    ex = get_exercise("pistol_squat")
    reps = [rep(1, "left", {"knee_valgus.left": 4.0}), rep(2, "left", {"knee_valgus.left": 6.0}),
            rep(3, "right", {"knee_valgus.right": 15.2}), rep(4, "right", {"knee_valgus.right": 16.0})]
    a = asymmetry(reps, True, ex, "front")
    (c,) = a["comparisons"]
    assert c["worse"] == "right" and c["beyond_noise"] and c["noise"] == 8.0
    assert c["text"] == ("Right knee caves in 11 deg more than the left; the measurement's noise "
                         "here is about 8 deg")
    assert "Right knee caves in 11 deg more than the left" in a["verdict"]
    assert "_" not in a["verdict"]


def test_a_difference_within_noise_is_not_a_finding():
    ex = get_exercise("pistol_squat")
    reps = [rep(1, "left", {"knee_valgus.left": 4.0}), rep(2, "right", {"knee_valgus.right": 7.0})]
    a = asymmetry(reps, True, ex, "front")
    assert not a["comparisons"][0]["beyond_noise"]
    assert a["verdict"] == "No left-right difference beyond measurement noise."


def test_below_rules_call_the_smaller_value_worse():
    ex = get_exercise("single_leg_deadlift")
    reps = [rep(1, "left", {"shallow_hinge.left": 80.0}), rep(2, "right", {"shallow_hinge.right": 60.0})]
    c = asymmetry(reps, True, ex, "side")["comparisons"][0]
    assert c["worse"] == "right" and c["text"].startswith("Right leg hinges 20 deg less than the left")


def test_two_legged_work_compares_the_legs_where_the_view_shows_both():
    ex = get_exercise("squat")
    front = [rep(1, None, {"heel_lift.left": 0.01, "heel_lift.right": 0.05})]
    a = asymmetry(front, False, ex, "front")
    assert a["per_leg"] is False and a["comparisons"][0]["code"] == "heel_lift"
    assert a["verdict"].startswith("Both legs work in every rep; compared where the camera sees both")
    side = asymmetry([rep(1, None, {"shallow_depth.right": 5.0})], False, ex, "side")
    assert side["comparisons"] == [] and "film from the front to compare" in side["verdict"]


def test_every_rule_of_every_exercise_has_words_and_a_known_unit():
    for ex in list_exercises():
        for rule in ex.rules:
            m = measure_of(rule)
            assert "_" not in m.label and "{d}" in m.worse, (ex.id, rule.code)
            assert fmt(1.0, rule.unit).split()[0]  # a number, whatever the unit
            assert "_" not in fault_title(rule.code)


def test_names_and_rounding_a_person_reads():
    assert VIEW_NAMES["front45"] == "front, turned 45 deg"
    assert fmt(184.0, "deg", -180.0) == "4 deg"
    assert fmt(-0.2, "deg") == "0 deg"
    assert fmt(0.0512, "leg") == "0.05 leg lengths"
    assert fault_title("knee_valgus") == "Knee caving in"
