"""Evidence from news: read articles, extract mentions, quotes, claims, deadlines and events.

Everything runs offline: spaCy's small English model with the scenario's actor gazetteer on top,
and all-MiniLM-L6-v2 sentence embeddings run on NumPy (optional extra ``nlp``).
"""

from .documents import Document, read_document, read_documents
from .extract import Extractor, extract_document

__all__ = ["Document", "Extractor", "extract_document", "read_document", "read_documents"]
