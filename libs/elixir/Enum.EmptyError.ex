defmodule Enum.EmptyError do
  @moduledoc "Raised by Enum functions that need at least one element, as in Elixir."
  @compile {:autoload, false}
  defexception message: "empty error"
end
