defmodule SystemLimitError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "A limit of the VM was reached (`system_limit`)."
  defexception message: "a system limit has been reached"
end
