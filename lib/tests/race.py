"""Two runs of the same claim at once, for the tests that prove a claim is won by one run only."""

import threading
from collections.abc import Callable

from django.db import connections, transaction


def race(claim: Callable[[], int]) -> dict[str, int]:
    """Run `claim` in two threads: the first holds its transaction open for half a second after
    claiming, and the second starts meanwhile, so it waits on the first's row locks. Returns what
    each claimed, {"first": n, "second": m}."""
    claimed, results = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = claim()
                claimed.set()
                threading.Event().wait(0.5)  # the second run is waiting on the rows by now
        finally:
            connections.close_all()

    def second():
        try:
            claimed.wait(10)
            results["second"] = claim()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
