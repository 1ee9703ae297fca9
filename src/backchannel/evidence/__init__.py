"""Evidence from news."""
