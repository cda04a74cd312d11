"""Built-in checks; importing this package registers them."""
from . import adequacy, alignment, fluency, numbers, terminology, untranslated  # noqa: F401
from . import placeholders  # noqa: F401
from . import names, spelling  # noqa: F401
from . import coverage, meaning  # noqa: F401
from . import grammar, negation, roles  # noqa: F401
from . import address  # noqa: F401
from . import strings  # noqa: F401
