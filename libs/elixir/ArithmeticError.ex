defmodule ArithmeticError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "Arithmetic on something that is not a number, or division by zero (`badarith`)."
  defexception message: "bad argument in arithmetic expression"
end
