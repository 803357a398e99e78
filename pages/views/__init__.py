"""Views of the browser catalogue, one module per area (see catalog/urls.py)."""
