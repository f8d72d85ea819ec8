"""The derivation stage: pure functions of validated records and an as-of date.

Nothing here reads the clock; the command line decides what "today" is.
"""
