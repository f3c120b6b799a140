"""Celery tasks: thin callers of exchange.imports, run by `celery -A lootwatch worker`."""

from celery import shared_task

from exchange import imports


@shared_task(name=imports.CHECK_TASK, ignore_result=True)
def check_import(run_id):
    imports.check_run(run_id=run_id)


@shared_task(name=imports.APPLY_TASK, ignore_result=True)
def apply_import(run_id):
    imports.apply_run(run_id=run_id)
