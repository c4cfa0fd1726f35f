"""lf-export: the Python client for exporting documents from a Laserfiche repository (API V2)."""
