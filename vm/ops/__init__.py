"""Opcode implementations, one module per family; each fills the code-generation table."""
