"""The benchmark's data: N synthetic incidents (generate_demo_data), generated once and
reused by every later run on the same database."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection

from incidents.demo.synthetic import SYNTHETIC_USERNAME, real_incidents
from incidents.models import Incident

BENCH_JOURNALIST = "bench-journalist"


def ensure_data(incidents, *, seed=1):
    """Migrate, then generate ``incidents`` incidents unless synthetic data is already there
    (reused whatever its size: the table says how many). Return the number of incidents."""
    call_command("migrate", verbosity=0)
    if real_incidents().exists():
        raise SystemExit(
            "This database holds real incidents: point DATABASE_URL at a database of its own "
            "for the benchmark (createdb lootwatch_bench)."
        )
    if not Incident.objects.filter(created_by__username=SYNTHETIC_USERNAME).exists():
        call_command("generate_demo_data", incidents=incidents, seed=seed)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Incident.objects.count()


def journalist():
    """An active journalist account for the pages (the generator's own account is inactive)."""
    user, _ = get_user_model().objects.get_or_create(username=BENCH_JOURNALIST)
    user.groups.add(Group.objects.get(name="journalist"))
    return user
