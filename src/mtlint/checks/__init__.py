"""Built-in checks; importing this package registers them."""
from . import alignment, fluency, numbers, untranslated  # noqa: F401
