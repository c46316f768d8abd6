"""A model spec refuses what would make a run ambiguous: repeated names, shared random streams,
switches that are not its mechanisms; a contract refuses unknown parts of the state."""

from __future__ import annotations

import zlib
from dataclasses import replace

import pytest

from innocluster.core.spec import Contract, Mechanism, stream_key
from innocluster.models import MODELS

# Two names with the same CRC-32 (found by search): they would seed the same random stream.
TWINS = ("mech29685295", "mech32060020")


def test_the_twins_really_share_a_crc():
    assert zlib.crc32(TWINS[0].encode()) == zlib.crc32(TWINS[1].encode())
    assert stream_key(TWINS[0]) == stream_key(TWINS[1])


def _with_mechanisms(names):
    model = MODELS["benchmark"]
    step = model.mechanisms[0].step
    return replace(
        model, mechanisms=tuple(Mechanism(name, step, Contract(("benchmark",))) for name in names)
    )


def test_two_mechanisms_on_one_random_stream_are_refused():
    with pytest.raises(ValueError, match="same random stream"):
        _with_mechanisms(TWINS)


def test_a_repeated_name_is_refused():
    with pytest.raises(ValueError, match="repeat"):
        _with_mechanisms(("spillover", "spillover"))


def test_a_mechanism_named_init_is_refused():
    with pytest.raises(ValueError, match="repeat"):
        _with_mechanisms(("init",))


def test_switches_must_be_the_mechanisms():
    names = [m.name for m in MODELS["benchmark"].mechanisms]
    with pytest.raises(ValueError, match=r"\[mechanisms\] switches"):
        _with_mechanisms(names[:-1])
    with pytest.raises(ValueError, match=r"\[mechanisms\] switches"):
        _with_mechanisms([*names, "extra"])


def test_the_registered_models_pass_their_own_checks():
    for model in MODELS.values():
        assert replace(model) == model


def test_a_contract_names_only_known_parts_of_the_state():
    with pytest.raises(ValueError, match="unknown parts"):
        Contract(("space",), structure=("orgs",))
