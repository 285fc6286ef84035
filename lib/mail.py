"""Mail sent one message at a time, each marked as sent right after it went out.

A batch sent at once and marked at the end would all go out again after a worker died in the
middle of it; marked one by one, a second run resends at most the one that was in flight.
"""

from collections.abc import Callable, Hashable, Sequence

from django.core.mail import EmailMessage, get_connection


def send_each(
    mails: Sequence[tuple[Hashable, EmailMessage]],
    *,
    sent: Callable[[Hashable], None],
    release: Callable[[list], None],
) -> int:
    """Send each `(key, message)` over one connection, calling `sent(key)` once it went out. When a
    send fails, `release(keys)` gets the keys of the mails not sent, and the error goes on.
    Returns the number sent."""
    if not mails:
        return 0
    connection = get_connection()
    count = 0
    try:
        connection.open()
        for key, message in mails:
            connection.send_messages([message])
            sent(key)
            count += 1
    except Exception:
        release([key for key, _ in mails[count:]])
        raise
    finally:
        connection.close()
    return count
