"""Whole-archive work pauses the cyclic collector and leaves it as it found it."""

import gc

from models.bulk import collector_paused


def test_collector_is_paused_inside_and_enabled_again_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not end the outer one
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_was_built_is_filed_as_old_not_traced_as_young():
    with collector_paused():
        built = [[n] for n in range(1000)]
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert not any(id(item) in young for item in built)
    assert any(o is built for o in gc.get_objects(generation=2))


def test_an_exception_still_ends_the_pause():
    try:
        with collector_paused():
            raise ValueError("bad row")
    except ValueError:
        pass
    assert gc.isenabled()
