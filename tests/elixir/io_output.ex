defmodule IoOutput do
  def start do
    IO.puts("héllo ✓")
    IO.puts('héllo ✓')
    IO.write([?✓, "ok", ?\n])
    IO.puts(42)
    IO.puts(1.5)
    IO.puts(["a", [?b, "c"], ?d])
    IO.inspect("✓", label: "mark ✓")
    IO.binwrite("bin\n")
    IO.inspect(IO.iodata_length(["ab", ?c]))
    IO.inspect(IO.chardata_to_string([?✓, "x"]))
    IO.inspect({1, 2}, label: :atom_label)
    :ok
  end
end
