"""JSON Lines: one object per line with ``source`` and ``target`` strings (``reference``, ``id`` optional)."""
from __future__ import annotations

import json

from ..errors import InputError
from .units import Bilingual, Unit


def read_jsonl(text: str, path: str) -> Bilingual:
    units = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: expected a JSON object, found {type(record).__name__}")
        for key in ("source", "target"):
            if not isinstance(record.get(key), str):
                problem = "missing" if key not in record else "not a string"
                raise InputError(f"{path}:{number}: {key!r} {problem}")
        reference = record.get("reference")
        if reference is not None and not isinstance(reference, str):
            raise InputError(f"{path}:{number}: 'reference' not a string")
        unit_id = record.get("id")
        units.append(Unit(str(unit_id) if unit_id is not None else str(number), record["source"], record["target"],
                          reference or None, number))
    return Bilingual(path, "jsonl", units, None, None)
