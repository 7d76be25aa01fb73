"""The services' clock: real time, or a moment fixed for one block in one thread."""

import datetime as dt
import threading

import pytest
from django.utils import timezone

from wijkbalans.core import clock

MOMENT = dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC)


def test_frozen_inside_the_block_only():
    with clock.frozen_at(MOMENT):
        assert clock.now() == MOMENT
        assert clock.today() == timezone.localdate(MOMENT) == dt.date(2025, 6, 2)
    assert abs(clock.now() - timezone.now()) < dt.timedelta(seconds=5)


def test_other_threads_keep_the_real_time():
    seen = {}
    started, release = threading.Event(), threading.Event()

    def other():
        started.wait()
        seen["now"] = clock.now()
        release.set()

    thread = threading.Thread(target=other)
    thread.start()
    with clock.frozen_at(MOMENT):
        started.set()
        release.wait(5)
    thread.join()
    assert seen["now"].year >= 2026


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError, match="aware"):
        with clock.frozen_at(dt.datetime(2025, 6, 2)):
            pass
