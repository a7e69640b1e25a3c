defmodule RuntimeError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "What `raise \"text\"` raises."
  defexception message: "runtime error"
end
