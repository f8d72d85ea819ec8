"""The exit statuses every command shares, as CI and pre-commit read them, and the errors that carry them."""

EXIT_OK = 0  # done; warnings never change this
EXIT_FAILED = 1  # the registry has errors, or the output could not be written
EXIT_USAGE = 2  # the command line cannot be carried out as given


class CommandError(Exception):
    """A command that cannot finish as asked. Commands raise it (or a subclass) with a Chinese
    message; cli.main prints the message, never a traceback, and exits with `status`."""

    status = EXIT_FAILED
    prefix = "错误："  # what cli.main prints before the message


class UsageError(CommandError):
    """A command line that cannot be carried out as given (bad argument, missing folder...)."""

    status = EXIT_USAGE
