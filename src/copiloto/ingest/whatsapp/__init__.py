"""Reader for WhatsApp "Export chat" files (Android and iOS, any language with the same date shapes).

`parse_export` turns the chat text into messages, system lines and problems without losing a line;
`discover_exports` finds chat texts in .txt files, .zip archives and folders. Pure code: no database.
"""

from copiloto.ingest.whatsapp.archive import ExportSource, discover_exports
from copiloto.ingest.whatsapp.model import ParsedExport, ParsedMessage, ParseProblem, SystemLine
from copiloto.ingest.whatsapp.parser import parse_export

__all__ = [
    "ExportSource",
    "ParseProblem",
    "ParsedExport",
    "ParsedMessage",
    "SystemLine",
    "discover_exports",
    "parse_export",
]
