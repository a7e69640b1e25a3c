defmodule ArgumentError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "A function was given an argument it does not accept (Erlang's `badarg`)."
  defexception message: "argument error"
end
