"""Issue forms turned into record changes: parse a form's body (forms.py), apply it (command.py)."""
