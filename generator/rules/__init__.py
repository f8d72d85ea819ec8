"""The rule table, the date arithmetic and the measures: what every stage cites."""
