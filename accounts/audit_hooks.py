"""Receivers that write login, failure and admin events to the audit log."""
