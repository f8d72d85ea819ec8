"""Official result lists into the records: read (read.py), match (match.py), plan and write (command.py)."""
