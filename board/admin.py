"""The board's rows in the admin, read only: they change through the board's pages and services,
each change an event."""

from django.contrib import admin

from lib.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import Directive, DirectiveAddressee, DirectiveEvent, Meeting, MeetingEvent, Project, WorkingGroup


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent
    fields = ("at", "kind", "actor", "data")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("held_on", "kind", "region", "chair", "status", "resolution_number")
    list_filter = ("kind", "status", "region")
    inlines = [MeetingEventInline]


class AddresseeInline(ReadOnlyInline):
    model = DirectiveAddressee
    fields = ("organisation", "status", "deadline_at", "reported_at", "executed_at", "comment")


class DirectiveEventInline(ReadOnlyInline):
    model = DirectiveEvent
    fields = ("at", "kind", "addressee", "actor", "data")


@admin.register(Directive)
class DirectiveAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "number", "area", "deadline", "controller")
    list_filter = ("area", "region")
    inlines = [AddresseeInline, DirectiveEventInline]


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region", "status", "started_on")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "region", "created_on")
