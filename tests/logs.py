"""Log records in tests. The project runs pytest without its logging plugin (no caplog,
pyproject's `-p no:logging`), so a test that expects a warning reads it with this."""

import contextlib
import logging


class Logged(logging.Handler):
    def __init__(self, level=logging.WARNING):
        super().__init__(level)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


@contextlib.contextmanager
def logged(name: str, level=logging.WARNING):
    """The records of logger `name` at `level` and above while the block runs. Whatever an
    earlier test on this worker did to logging (a library's set-up that disables existing
    loggers or raises levels) is undone for the block."""
    logger = logging.getLogger(name)
    handler = Logged(level)
    saved = (logger.disabled, logging.root.manager.disable, logger.level)
    logger.disabled = False
    logging.root.manager.disable = logging.NOTSET
    logger.setLevel(level)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.disabled, logging.root.manager.disable = saved[0], saved[1]
        logger.setLevel(saved[2])
