from hypothesis import given
from hypothesis import strategies as st

from ledger.ids import _Generator, id_time_ms, is_valid_id, new_id


def test_ids_are_valid_and_increase_within_one_millisecond() -> None:
    ids = [new_id(now_ms=1_767_225_600_000) for _ in range(1000)]
    assert all(is_valid_id(i) for i in ids)
    assert ids == sorted(ids)
    assert len(set(ids)) == 1000


def test_ids_sort_by_time_and_carry_it() -> None:
    fresh = _Generator()
    early, late = fresh.new(now_ms=1_000_000), fresh.new(now_ms=2_000_000)
    assert early < late
    assert id_time_ms(late) == 2_000_000


@given(st.integers(min_value=3_000_000, max_value=2**47))
def test_clock_going_back_never_breaks_order(ms: int) -> None:
    first = new_id(now_ms=ms)
    second = new_id(now_ms=ms - 1_000)
    assert second > first


def test_malformed_ids_are_not_valid() -> None:
    assert not is_valid_id("")
    assert not is_valid_id("01M81F3CK20D2001SWQT5H0PQ")  # 25 characters
    assert not is_valid_id("01M81F3CK20D2001SWQT5H0PQI")  # I is not Crockford base32
