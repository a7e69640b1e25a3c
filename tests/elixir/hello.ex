defmodule Hello do
  def start do
    IO.puts("Hello, world")
    IO.write("no newline, ")
    IO.puts(["io", ?d, "ata"])
    :ok
  end
end
