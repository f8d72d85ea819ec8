"""The validate stage: schema and rules over a whole registry, as findings."""
