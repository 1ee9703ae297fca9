"""The application layer: the one service every interface calls, and loading and writing scenario files."""
