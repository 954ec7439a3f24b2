"""The metadata document the pages read, and the API documentation served without the network."""

from __future__ import annotations

import re

from formcheck.exercises.registry import list_exercises
from formcheck.faults import FAULTS

OFF_SITE = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//""", re.I)


def test_meta_names_every_exercise_signal_fault_and_stage(client):
    meta = client.get("/api/meta").json()
    ids = [e["id"] for e in meta["exercises"]]
    assert ids == [ex.id for ex in list_exercises()]
    pistol = next(e for e in meta["exercises"] if e["id"] == "pistol_squat")
    assert pistol["per_leg"] is True and pistol["signals"][0] == "knee_flexion"
    valgus = next(c for c in pistol["checks"] if c["code"] == "knee_valgus")
    assert valgus["unit_text"] == "deg" and valgus["title"] == "Knee caving in"
    assert set(meta["faults"]) == set(FAULTS)
    assert all("_" not in title for title in meta["faults"].values())
    assert meta["signals"]["hip_extension"]["shift"] == -180.0
    assert meta["views"]["front45"] == "front, turned 45 deg"
    assert meta["colours"]["left"] != meta["colours"]["right"]
    assert len(meta["skeleton"]["landmark_names"]) == 33 and meta["skeleton"]["connections"]
    assert meta["stages"]["pose"] and meta["statuses"]["running"] == "analysing"
    assert 0 < meta["visibility_threshold"] < 1


def test_docs_page_loads_only_the_services_own_files(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert not OFF_SITE.search(page.text), "the docs page links an off-site resource"
    assert "<script>" not in page.text  # scripts come from files (a strict CSP allows no inline)
    for src in re.findall(r"""(?:src|href)="([^"]+)\"""", page.text):
        assert client.get(src).status_code == 200, src
    assert client.get("/openapi.json").json()["info"]["title"] == "FormCheck"
    assert client.get("/redoc").status_code == 404  # ReDoc would load from a CDN: not served
