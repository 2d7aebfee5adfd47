"""What every raw-format reader shares: the row and table shapes, the one error a file that is
not its format raises, a landed file, and the small helpers the genomics readers use."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import PurePosixPath

Row = dict[str, str | None]
Tables = dict[str, list[Row]]


class RawFormatError(ValueError):
    """A file that is not what its format says (the whole file goes to quarantine)."""


@dataclass(frozen=True)
class RawFile:
    """One landed file: its path (as Spark names it), its bytes and when it was written."""

    path: str
    content: bytes
    modified_at: str | None = None

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    def text(self) -> str:
        """The file as UTF-8 text (a byte-order mark dropped); not text: `RawFormatError`."""
        try:
            return self.content.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise RawFormatError(f"{self.path}: not UTF-8 text ({e.reason})") from e

    def xml(self, root_tag: str) -> ET.Element:
        """The file's XML root, which must be `root_tag`; else `RawFormatError` saying why.

        Only the standard library's parser, on the instruments' own files: they carry no DTD or
        entity declarations, and expat expands no external entities.
        """
        try:
            root = ET.fromstring(self.content)
        except ET.ParseError as e:
            raise RawFormatError(f"{self.path}: not XML ({e})") from e
        if root.tag != root_tag:
            raise RawFormatError(f"{self.path}: root element <{root.tag}> is not <{root_tag}>")
        return root


def run_id_of(path: str) -> str | None:
    """The run folder's name in an Illumina path: the part before `Analysis` (on-board and
    BCL Convert output, `<run>/Analysis/<n>/Data/...`), else None."""
    parts = PurePosixPath(path).parts
    return parts[parts.index("Analysis") - 1] if "Analysis" in parts[1:] else None


def text_of(element: ET.Element | None, path: str) -> str | None:
    """The stripped text of `element`'s child at `path`, None when missing or empty."""
    if element is None:
        return None
    found = element.find(path)
    value = found.text.strip() if found is not None and found.text else ""
    return value or None
