"""The clinician deck as data: slide plans with measured, fitted text, before any drawing."""
