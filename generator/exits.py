"""The exit statuses every command shares, as CI and pre-commit read them."""

EXIT_OK = 0  # done; warnings never change this
EXIT_FAILED = 1  # the registry has errors, or the output could not be written
EXIT_USAGE = 2  # the command line cannot be carried out as given
