# The Elixir hello world: prints a greeting, a list and a computed value, then returns :ok
# (which AtomVM counts as success). Run it with:
#   avmsim firmware_images/elixir_hello_world.avm
defmodule HelloWorld do
  def start do
    IO.puts("Hello, world! from Elixir on #{platform()}")
    squares = for n <- 1..10, do: n * n
    IO.inspect(squares, label: "squares")
    IO.puts("sum: #{Enum.sum(squares)}, fib(20): #{fib(20)}")
    :ok
  end

  defp platform, do: :atomvm.platform()

  defp fib(n) when n < 2, do: n
  defp fib(n), do: fib(n - 1) + fib(n - 2)
end
