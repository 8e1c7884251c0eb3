"""The data package: loading and validating the catalogue, facts, labels, provenance, flags and vintages."""
