# Evidence and custody admin live in their own module; importing it registers them.
from claims import evidence_admin  # noqa: F401
