"""Demo data for `make run`: the curriculum's prose and the course runs' schedule as data files,
and the loader the seed commands read them with. Not part of the installed package (pyproject
includes only the apps), so none of it ships to production."""
