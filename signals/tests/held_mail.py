"""A mail backend for test_worker_death.py only: Django's file backend (a file per connection in
EMAIL_FILE_PATH, which the test reads), holding one message until a file appears.

The process's message number settings.TEST_MAIL_HOLD_AT (0: none) is held: the backend creates
settings.TEST_MAIL_HELD, then waits until settings.TEST_MAIL_RELEASE exists, so the worker is
stuck in the middle of a send, the mails before it out, the held one claimed and not sent."""

import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class HeldFileBackend(EmailBackend):
    messages_in_process = 0

    def send_messages(self, email_messages):
        for message in email_messages:
            type(self).messages_in_process += 1
            if type(self).messages_in_process == settings.TEST_MAIL_HOLD_AT:
                self._hold()
            super().send_messages([message])
        return len(email_messages)

    def _hold(self) -> None:
        Path(settings.TEST_MAIL_HELD).touch()
        while not Path(settings.TEST_MAIL_RELEASE).exists():
            time.sleep(0.05)
