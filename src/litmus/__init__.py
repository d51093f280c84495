"""litmus: reads a review, fetches what it cites from PubMed, extracts outcomes and checks the claims."""

__version__ = "0.1.0"
