"""Reader for WhatsApp "Export chat" files (Android and iOS, any language with the same date shapes).

`parse_export` turns the chat text into messages, system lines and problems without losing a line;
`discover_exports` finds chat texts in .txt files, .zip archives and folders. Pure code: no database.
"""

from copiloto.ingest.whatsapp.model import ParsedExport, ParsedMessage, ParseProblem, SystemLine

__all__ = ["ParseProblem", "ParsedExport", "ParsedMessage", "SystemLine"]
