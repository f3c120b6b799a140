"""The editors' admin for incidents and their reference data (importing the modules
registers them).

The admin is a thin caller: every editorial change (edit, publish, withdraw, merge) goes
through incidents.services, which checks permissions, locks rows and writes history.
"""

from incidents.admin import incident, reference  # noqa: F401
