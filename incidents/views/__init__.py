"""The journalists' pages, one module per job: browse (list, map, timeline), detail (one
incident), logging (log, edit, add a claim), htmx (helpers for forms being filled in) and
mine (what I logged). Views are thin: reads through the selectors, writes through the
services; review and publication are the editors', in the admin."""
