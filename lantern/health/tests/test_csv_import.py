"""CSV for services without FHIR: errors by line and column, all or nothing, then the FHIR path."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.chronology.models import Event
from lantern.health.models import HealthSystem

pytestmark = pytest.mark.django_db

HEADER = (
    "record_type,record_id,version,nhs_number,given_name,family_name,date_of_birth,postcode,at,service,outcome,"
    "setting,reason,text\n"
)
GOOD = (
    HEADER
    + "appointment,apt-1,1,999 526 0182,,,,,2026-10-01T09:30,Dental,was-not-brought,,,\n"
    + "attendance,att-1,1,9995260182,,,,,2026-10-03T21:40,,,minor-injuries,injury,Fell off a wall\n"
)


@pytest.fixture
def system(area):
    area.child.nhs_number = "9995260182"
    area.child.save()
    return HealthSystem.objects.create(name="Community Dental Service", slug="dental", agency=area.school)


def _import(tmp_path, text, *extra):
    path = tmp_path / "feed.csv"
    path.write_text(text)
    call_command("import", str(path), "--no-progress", *extra)


def test_rows_become_chronology_events(tmp_path, system, area):
    _import(tmp_path, GOOD, "--system", "dental")
    events = {e.source_id: e for e in Event.objects.filter(child=area.child)}
    assert events["Appointment/apt-1"].outcome == "was-not-brought"
    assert events["Appointment/apt-1"].service == "Dental"
    assert (events["Encounter/att-1"].setting, events["Encounter/att-1"].reason) == (
        "minor-injuries",
        "injury",
    )
    assert all(e.agency == area.school for e in events.values())


def test_the_same_file_again_changes_nothing(tmp_path, system):
    _import(tmp_path, GOOD, "--system", "dental")
    _import(tmp_path, GOOD, "--system", "dental")
    assert Event.objects.count() == 2


def test_errors_name_the_line_and_column_and_nothing_is_written(tmp_path, system, capsys):
    bad = GOOD + "appointment,apt-2,1,9995260183,,,,,2026-13-01,,missed,,,\n" + "visit,x,,,,,,,,,,,,\n"
    with pytest.raises(CommandError):
        _import(tmp_path, bad, "--system", "dental")
    err = capsys.readouterr().err
    assert "line 4, at: '2026-13-01' is not a date" in err
    assert "line 4, nhs_number: 9995260183 is not a valid NHS number" in err
    assert "line 4, outcome: 'missed'" in err
    assert "line 5, record_type: 'visit'" in err
    assert not Event.objects.exists()


def test_a_missing_column(tmp_path, system, capsys):
    with pytest.raises(CommandError):
        _import(tmp_path, "record_type,record_id\nappointment,a\n", "--system", "dental")
    assert "line 1: the header row has no at column" in capsys.readouterr().err


def test_a_csv_needs_its_system(tmp_path, system):
    with pytest.raises(CommandError, match="needs --system"):
        _import(tmp_path, GOOD)
