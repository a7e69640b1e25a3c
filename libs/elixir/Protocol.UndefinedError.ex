defmodule Protocol.UndefinedError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc "A protocol was called on a value of a type it has no implementation for."
  defexception [:protocol, :value, description: ""]

  @impl true
  def message(%{protocol: protocol, value: value, description: description}) do
    "protocol #{inspect(protocol)} not implemented for #{inspect(value)} of type " <>
      type(value) <> details(description)
  end

  defp details(""), do: ""
  defp details(description), do: ", " <> description

  @types [
    {&is_atom/1, "Atom"}, {&is_integer/1, "Integer"}, {&is_float/1, "Float"},
    {&is_bitstring/1, "BitString"}, {&is_list/1, "List"}, {&is_tuple/1, "Tuple"},
    {&is_map/1, "Map"}, {&is_function/1, "Function"}, {&is_pid/1, "PID"},
    {&is_port/1, "Port"}, {&is_reference/1, "Reference"}
  ]

  defp type(%{__struct__: struct}) when is_atom(struct), do: "#{inspect(struct)} (a struct)"

  defp type(value) do
    [{_, name} | _] = :lists.dropwhile(fn {test, _} -> not test.(value) end, @types)
    name
  end
end
