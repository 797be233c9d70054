"""Fuzzing harnesses of the Python API (atheris) and the seed corpus shared with the cargo fuzz targets."""
