"""The one write path: every change to the catalogue goes through here.

Pages, the JSON API, the admin console and the management commands all call
these functions, so validation, versioning, change descriptions and lineage
derivation are written once.
"""
