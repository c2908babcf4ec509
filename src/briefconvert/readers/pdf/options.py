"""Options of the PDF reader (defined with the others in briefconvert.options)."""

from ...options import PdfReaderOptions

__all__ = ["PdfReaderOptions"]
