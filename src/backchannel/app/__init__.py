"""The application layer: the one service every interface calls (``service``), the typed results it returns
(``results``), and loading and writing scenario files (``files``)."""
