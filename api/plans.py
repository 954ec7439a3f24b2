"""Plans as the service accepts them: by id or alias only, never a path on the server."""

from __future__ import annotations

import re

from formcheck import Plan, PlanError, get_plan, list_plans

# The exercise field's word for "recognise it for me" (an empty field means the same).
AUTO = "auto"

_PLAN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _-]{0,63}")


def resolve_plan(name: str) -> Plan:
    """The plan with this id or alias; PlanError (422) with the known ids otherwise. The library
    also reads a plan from a file path: the service refuses anything that is not an id."""
    if not _PLAN_ID.fullmatch(name):
        known = ", ".join(p.id for p in list_plans())
        raise PlanError(f"unknown plan {name[:80]!r}: a plan is named by its id ({known}; "
                        "GET /api/plans)")
    return get_plan(name)
