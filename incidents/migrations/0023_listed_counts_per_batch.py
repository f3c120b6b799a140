"""The incidents' insert triggers on the listed counts (per place and per week) can be
silenced for a batch, which then adds its incidents in one statement per table
(incidents.listed_counts), and the cells' trigger on the places' counts with them; deletes
of incidents get a trigger of their own, never silenced."""

from django.db import migrations

OLD_TRIGGERS = [
    ("incident_place_listed_row", "incident_place_listed_deleted", "lootwatch_place_listed"),
    ("incident_week_listed_row", "incident_week_listed_deleted", "lootwatch_week_listed"),
]


def per_batch(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from incidents import map_cells, map_grid, week_counts

    triggers = [*map_grid.ROW_TRIGGER, *week_counts.ROW_TRIGGER, *map_cells.LISTED_TRIGGER]
    with schema_editor.connection.cursor() as cursor:
        for statement in triggers:
            cursor.execute(statement)


def per_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, deleted, function in OLD_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {deleted} ON incidents_incident")
            cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON incidents_incident")
            cursor.execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON incidents_incident "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        cursor.execute("DROP TRIGGER place_listed_cell ON incidents_place_listed")
        cursor.execute(
            "CREATE TRIGGER place_listed_cell AFTER INSERT OR UPDATE OR DELETE "
            "ON incidents_place_listed FOR EACH ROW EXECUTE FUNCTION lootwatch_cell_listed()"
        )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0022_map_cell_lock")]

    operations = [migrations.RunPython(per_batch, per_row)]
