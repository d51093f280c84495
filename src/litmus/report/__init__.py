"""The reader's report: verdict and evidence tables, and a forest plot, in one self-contained HTML file."""
