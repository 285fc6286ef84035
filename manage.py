#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tartip.settings")
    from django.core.management import execute_from_command_line

    from tartip.env import refusing_bad_settings

    with refusing_bad_settings():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
