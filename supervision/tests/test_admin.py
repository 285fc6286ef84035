"""The administrator reads the cases, projects, facilities and highlights in the admin and changes
none of them: they change only through their pages, each change an event."""

import pytest

pytestmark = pytest.mark.django_db

READ_ONLY = ("criminalcase", "investmentproject", "socialfacility", "highlight", "supervisoryact", "crimeimport")


@pytest.mark.parametrize("model", READ_ONLY)
def test_it_shows_the_records_and_refuses_to_add_them(login, model):
    client = login("administrator")
    assert client.get(f"/admin/supervision/{model}/").status_code == 200
    assert client.get(f"/admin/supervision/{model}/add/").status_code == 403
