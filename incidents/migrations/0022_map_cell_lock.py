"""The cells' listing trigger reads a place's position FOR SHARE (incidents.map_cells): a
listing beside a place's move no longer counts the incident at the old cell. Only the
function's body changes; the recount repairs any cell a past race left wrong."""

from django.db import migrations


def replace_functions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from incidents.map_cells import recount_cells, replace_functions

    with schema_editor.connection.cursor() as cursor:
        replace_functions(cursor)
        recount_cells(cursor)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0021_map_cell_listing")]

    operations = [migrations.RunPython(replace_functions, migrations.RunPython.noop)]
