"""The open data: JSON, CSV, XLSX, Atom, iCalendar and their schemas."""
