"""The theme's compiled templates, kept for the life of the process."""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Jinja bytecode of the theme's templates, by template name and source checksum.

    `mkdocs serve` loads the configuration, and so a new template environment, for every
    build, and compiling Material's templates again took about half a second of each
    rebuild. An edited template has another checksum, so it compiles again.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()
