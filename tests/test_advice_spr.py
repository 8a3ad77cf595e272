"""Stack-to-pot ratio: zones with boundaries in the lower zone, and the hand × zone decision table."""

from decimal import Decimal

import pytest

from app.advice.errors import FieldError
from app.advice.spr import DECISIONS, ZONES, HandType, Zone, decision, spr, zone

D = Decimal


def test_spr_is_the_effective_stack_divided_by_the_pot():
    assert spr(D(600), D(100)) == 6
    assert spr(D(1000), D(300)) == D(10) / 3


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (D(0), Zone.ALL_IN_OR_FOLD),
        (D("0.5"), Zone.ALL_IN_OR_FOLD),
        (D(1), Zone.ALL_IN_OR_FOLD),
        (D("1.01"), Zone.COMMITMENT),
        (D(4), Zone.COMMITMENT),
        (D("4.0001"), Zone.MANEUVERING),
        (D(13), Zone.MANEUVERING),
        (D("13.01"), Zone.DEEP),
        (D(100), Zone.DEEP),
    ],
)
def test_a_value_exactly_on_a_boundary_belongs_to_the_lower_zone(ratio, expected):
    assert zone(ratio).zone == expected


def test_the_zone_bounds_are_defined_once_in_ascending_order():
    assert [z.upper for z in ZONES] == [D(1), D(4), D(13), None]
    assert [z.zone for z in ZONES] == list(Zone)


def test_the_decision_table_covers_every_hand_type_in_every_zone():
    assert set(DECISIONS) == set(HandType)
    for row in DECISIONS.values():
        assert set(row) == set(Zone)
        assert all(d.action and d.note for d in row.values())


def test_top_set_commits_at_every_spr_and_an_overpair_pot_controls_when_maneuvering():
    assert {decision(HandType.TOP_SET, r).action for r in (D("0.5"), 3, 8, 20)} <= {"Get it in", "Commit"}
    assert decision("overpair", 8).action == "Pot control"
    assert decision("overpair", 3).action == "Commit"
    assert decision("overpair", 4).action == "Commit"  # the boundary belongs to commitment
    assert decision("weak_made_hand", 20).action == "Check/fold to pressure"
    assert decision("nut_flush_draw", 20).action == "Draw"


def test_bad_spr_inputs_are_field_errors():
    with pytest.raises(FieldError) as error:
        spr(100, 0)
    assert error.value.field == "pot"
    with pytest.raises(FieldError) as error:
        spr(-1, 100)
    assert error.value.field == "stack"
    with pytest.raises(FieldError) as error:
        decision("suited_connectors", 3)
    assert error.value.field == "hand"
