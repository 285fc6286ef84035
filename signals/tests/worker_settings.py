"""The settings of the workers test_worker_death.py starts (DJANGO_SETTINGS_MODULE): Tartip's,
with the mail backend that writes files and holds a message (signals/tests/held_mail.py),
configured by the environment the test gives the worker."""

from tartip.env import env_int, env_str
from tartip.settings import *  # noqa: F403

EMAIL_BACKEND = "signals.tests.held_mail.HeldFileBackend"
EMAIL_FILE_PATH = env_str("TEST_MAIL_DIR")
TEST_MAIL_HOLD_AT = env_int("TEST_MAIL_HOLD_AT", 0)
TEST_MAIL_HELD = env_str("TEST_MAIL_HELD")
TEST_MAIL_RELEASE = env_str("TEST_MAIL_RELEASE")
