"""Statistics: aggregate queries in SQL, exporters (CSV, XLSX, JSON), demo data."""
