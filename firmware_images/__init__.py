"""Prebuilt images shipped with the package: the standard library pack and example apps."""
