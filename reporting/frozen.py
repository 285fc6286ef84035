"""A frozen summary version's figures and text as stored (SummaryVersion.figures, .paragraphs):
every field of a figure, decimals as their exact text, read back into the same objects."""

from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from decimal import Decimal

from .figures import Figure, Part
from .sentences import Paragraph

_NUMBERS = ("value", "base", "change", "change_percent", "rate", "base_rate")


def _stored_number(value):
    return str(value) if isinstance(value, Decimal) else value


def _read_number(value):
    return Decimal(value) if isinstance(value, str) else value


def figure_stored(figure: Figure) -> dict:
    """A figure as kept in a frozen version: every field, decimals as their exact text."""
    data = asdict(figure)

    def numbers(item: dict | None):
        if item is not None:
            for name in _NUMBERS:
                if name in item:
                    item[name] = _stored_number(item[name])
        return item

    numbers(data)
    for part in [*data["by_district"], data["best"], data["worst"], *(p for ps in data["by"].values() for p in ps)]:
        numbers(part)
    return data


def figure_read(data: dict) -> Figure:
    def part(item: dict | None) -> Part | None:
        if item is None:
            return None
        known = {field.name for field in dataclass_fields(Part)}
        return Part(**{k: _read_number(v) if k in _NUMBERS else v for k, v in item.items() if k in known})

    known = {item.name for item in dataclass_fields(Figure)}
    fields = {name: _read_number(value) if name in _NUMBERS else value for name, value in data.items() if name in known}
    fields["by_district"] = [part(item) for item in data["by_district"]]
    fields["best"], fields["worst"] = part(data["best"]), part(data["worst"])
    # A dimension's part frozen before parts were marked sensitive: not known (None), so what is
    # published treats it as sensitive (reporting.publication).
    fields["by"] = {
        dimension: [part({"sensitive": None, **item}) for item in items] for dimension, items in data["by"].items()
    }
    return Figure(**fields)


def paragraphs_stored(paragraphs: list[Paragraph]) -> list[dict]:
    """Each paragraph's heading, sentences (as their pieces) and quotes (their text as it read)."""
    return [
        {"title": p.title, "linked": [[list(piece) for piece in s] for s in p.linked], "quotes": list(p.quotes)}
        for p in paragraphs
    ]


def paragraphs_read(stored: list[dict]) -> list[Paragraph]:
    paragraphs = []
    for item in stored:
        linked = [[tuple(piece) for piece in sentence] for sentence in item["linked"]]
        sentences = ["".join(piece for piece, _code in sentence) for sentence in linked]
        # Versions frozen before the summary quoted anything have no quotes.
        paragraphs.append(Paragraph(item["title"], sentences, linked, list(item.get("quotes", []))))
    return paragraphs
