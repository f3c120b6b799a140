"""Validating a model's check constraints in one query instead of one per constraint.

Django's ``Model.validate_constraints`` (called by ``full_clean``, which every service
calls) asks the database about each CheckConstraint separately: a SAVEPOINT, a
``SELECT 1 WHERE …`` and a RELEASE each, 17 constraints for a claim. ChecksInOneQuery asks
once for all of them (``SELECT <condition 1>, <condition 2>, …``, in one savepoint) and
raises exactly the errors Django would, in the same order; other constraints (unique ones)
are validated by Django as before. Nothing is skipped: the same rules are checked, and the
database still enforces them too.
"""

from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, ExpressionWrapper, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def failing_checks(instance, checks, exclude, using):
    """The CheckConstraints of ``checks`` that ``instance`` does not satisfy; one whose
    fields are excluded is not checked (as CheckConstraint.validate)."""
    against = instance._get_field_expression_map(meta=instance._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    asked = []
    for index, constraint in enumerate(checks):
        condition = ExpressionWrapper(Q(constraint.condition), output_field=BooleanField())
        try:
            query.add_annotation(
                Coalesce(condition, Value(True), output_field=BooleanField()), f"_check_{index}"
            )
        except FieldError:
            continue  # it names an excluded field
        asked.append(constraint)
    if not asked:
        return []
    connection = connections[using]
    atomic = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with atomic:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return []  # as Q.check: the database itself will judge the row
    return [constraint for constraint, passed in zip(asked, row, strict=True) if not passed]


class ChecksInOneQuery:
    """Model mixin: ``validate_constraints`` checks every CheckConstraint in one query."""

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        if not connections[using].features.supports_comparing_boolean_expr:
            return super().validate_constraints(exclude=exclude)
        constraints = [
            (model_class, constraint)
            for model_class, model_constraints in self.get_constraints()
            for constraint in model_constraints
        ]
        checks = [c for _, c in constraints if type(c) is CheckConstraint]
        failing = set(map(id, failing_checks(self, checks, exclude, using)))
        errors = {}
        for model_class, constraint in constraints:
            try:
                if type(constraint) is CheckConstraint:
                    if id(constraint) in failing:
                        raise ValidationError(
                            constraint.get_violation_error_message(),
                            code=constraint.violation_error_code,
                        )
                    continue
                constraint.validate(model_class, self, exclude=exclude, using=using)
            except ValidationError as error:
                if getattr(error, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(error)
                else:
                    errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
