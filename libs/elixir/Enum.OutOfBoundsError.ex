defmodule Enum.OutOfBoundsError do
  @moduledoc "Raised by `Enum.fetch!/2` for an index past the end, as in Elixir."
  @compile {:autoload, false}
  defexception message: "out of bounds error"
end
