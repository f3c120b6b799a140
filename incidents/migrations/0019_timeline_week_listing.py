from django.db import migrations, models


def install_trigger(apps, schema_editor):
    """The trigger that keeps the weeks' counts, and the counts themselves (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from incidents.week_counts import install

    with schema_editor.connection.cursor() as cursor:
        install(cursor)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS incident_week_listed_change ON incidents_incident")
        cursor.execute("DROP TRIGGER IF EXISTS incident_week_listed_row ON incidents_incident")
        cursor.execute("DROP FUNCTION IF EXISTS lootwatch_week_listed()")


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0018_verbose_names_translated"),
    ]

    operations = [
        migrations.CreateModel(
            name="WeekListing",
            fields=[
                ("week", models.DateField(primary_key=True, serialize=False, verbose_name="week")),
                ("n", models.IntegerField(default=0, verbose_name="n")),
            ],
            options={
                "verbose_name": "week listing",
                "verbose_name_plural": "week listings",
                "db_table": "incidents_week_listed",
            },
        ),
        migrations.RunPython(install_trigger, remove_trigger),
    ]
