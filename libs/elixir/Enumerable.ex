defprotocol Enumerable do
  @moduledoc """
  The protocol Enum walks collections through, as in Elixir: `reduce/3` drives
  the walk with `{:cont | :halt | :suspend, acc}` commands so Enum can stop
  early; `count/1`, `member?/2` and `slice/1` answer `{:error, module}` when the
  collection has no faster way than walking it.
  """
  @compile {:autoload, false}

  @doc "Reduces the collection, obeying the `{:cont | :halt | :suspend, acc}` command."
  def reduce(enumerable, acc, fun)

  @doc "Counts the elements, or `{:error, module}` to make Enum walk the collection."
  def count(enumerable)

  @doc "Checks membership, or `{:error, module}` to make Enum walk the collection."
  def member?(enumerable, element)

  @doc "Gives `{:ok, size, slicing_fun}`, or `{:error, module}` to make Enum walk the collection."
  def slice(enumerable)
end
