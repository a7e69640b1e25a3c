defmodule Module do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Module names at run time (`concat/1,2`, `split/1`). Everything else of Elixir's Module
  works on modules being compiled and has no meaning on the device.
  """

  @doc "The alias of the joined parts: `concat([Foo, \"Bar\"])` is `Foo.Bar`."
  @spec concat([binary() | atom()]) :: atom()
  def concat(parts) when is_list(parts) do
    names = for part <- parts, part != nil, name = segment(part), name != "", do: name
    :erlang.binary_to_atom(:erlang.iolist_to_binary(["Elixir" | for(n <- names, do: ["." | n])]))
  end

  @doc "`concat([left, right])`."
  @spec concat(binary() | atom(), binary() | atom()) :: atom()
  def concat(left, right), do: concat([left, right])

  @doc "The segments of an alias: `split(Foo.Bar)` is `[\"Foo\", \"Bar\"]`."
  @spec split(module() | String.t()) :: [String.t(), ...]
  def split(module) when is_atom(module), do: split(:erlang.atom_to_binary(module))
  def split("Elixir." <> name), do: :binary.split(name, ".", [:global])

  defp segment(part) when is_atom(part), do: segment(:erlang.atom_to_binary(part))
  defp segment("Elixir." <> name), do: name
  defp segment("Elixir"), do: ""
  defp segment(name) when is_binary(name), do: name
end
