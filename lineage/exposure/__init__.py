"""Sensitive-data exposure, in small parts: the SQL pieces and the walks (reports: lineage.governance)."""
