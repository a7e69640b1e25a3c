defmodule Tuple do
  @moduledoc "Elixir's Tuple for the device, over the tuple BIFs."
  @compile {:autoload, false}

  def duplicate(data, size), do: :erlang.make_tuple(size, data)
  def insert_at(tuple, index, value), do: :erlang.insert_element(index + 1, tuple, value)
  def delete_at(tuple, index), do: :erlang.delete_element(index + 1, tuple)
  def append(tuple, value), do: :erlang.append_element(tuple, value)
  def to_list(tuple), do: :erlang.tuple_to_list(tuple)
  def sum(tuple), do: Enum.sum(to_list(tuple))
  def product(tuple), do: Enum.product(to_list(tuple))
end
