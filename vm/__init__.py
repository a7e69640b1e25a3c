"""The BEAM virtual machine: packs, modules, terms, interpreter, processes and natives."""
