"""A form handed to a service: its input written through, or the service's refusal put on it."""

from django import forms
from django.core.exceptions import ValidationError

from lib.forms import ServiceErrorsMixin, written_through


class NoteForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField()
    body = forms.CharField(required=False)


def refuse(data):
    raise ValidationError({"title": "This title is taken.", "__all__": "The register is closed."})


def test_it_returns_what_the_service_wrote():
    written = []
    form = NoteForm({"title": "Visit", "body": "At nine"})

    def write(data):
        written.append(data)
        return "note 1"

    assert written_through(form, write) == "note 1"
    assert written == [{"title": "Visit", "body": "At nine"}]
    assert not form.errors


def test_it_does_not_call_the_service_for_an_invalid_form():
    form = NoteForm({"title": ""})

    def write(data):
        raise AssertionError("the service was called")

    assert written_through(form, write) is None
    assert list(form.errors) == ["title"]


def test_it_puts_the_service_refusal_on_the_form():
    form = NoteForm({"title": "Visit"})

    assert written_through(form, refuse) is None
    assert form.errors["title"] == ["This title is taken."]
    assert form.non_field_errors() == ["The register is closed."]


def test_it_puts_a_refusal_without_fields_above_the_form():
    form = NoteForm({"title": "Visit"})

    def write(data):
        raise ValidationError("You may not write notes.")

    assert written_through(form, write) is None
    assert form.non_field_errors() == ["You may not write notes."]
    assert "title" not in form.errors
