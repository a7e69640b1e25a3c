defmodule Kernel do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  The Kernel functions compiled Elixir code calls at run time: the compiler inlines most of
  Kernel (arithmetic, guards, `send`, `spawn`, ...) into Erlang instructions, but leaves calls
  to these. `inspect/2` prints as Elixir does (see the `Inspect` module).
  """
  @compile {:no_warn_undefined, [Inspect, Access]}

  @doc "The text Elixir shows for `term` (options as Elixir's: `limit`, `pretty`, `width`, ...)."
  @spec inspect(term(), keyword()) :: String.t()
  def inspect(term, opts \\ []) when is_list(opts), do: Inspect.inspect(term, opts)

  @doc "The absolute value of `number`."
  def abs(number), do: :erlang.abs(number)

  @doc "Integer division, truncated."
  def div(dividend, divisor), do: :erlang.div(dividend, divisor)

  @doc "The remainder of the integer division."
  def rem(dividend, divisor), do: :erlang.rem(dividend, divisor)

  @doc "The larger of two terms (term order)."
  def max(first, second), do: :erlang.max(first, second)

  @doc "The smaller of two terms (term order)."
  def min(first, second), do: :erlang.min(first, second)

  @doc "Call `fun` with `args`."
  def apply(fun, args), do: :erlang.apply(fun, args)

  @doc "Call `module.function` with `args`."
  def apply(module, function, args), do: :erlang.apply(module, function, args)

  @doc "Whether `module` (loaded or loadable) exports `function/arity`."
  @spec function_exported?(module(), atom(), arity()) :: boolean()
  def function_exported?(module, function, arity),
    do: :erlang.function_exported(module, function, arity)

  @doc "Whether `module` defines the public macro `macro/arity` (never on the device: macros run at compile time)."
  @spec macro_exported?(module(), atom(), arity()) :: boolean()
  def macro_exported?(module, macro, arity) when is_atom(module) and is_atom(macro) and is_integer(arity),
    do: function_exported?(module, :__info__, 1) and {macro, arity} in module.__info__(:macros)

  @doc "Whether `term` is a struct (of `name`)."
  def is_struct(term), do: is_map(term) and :erlang.is_map_key(:__struct__, term) and is_atom(:maps.get(:__struct__, term, nil))

  def is_struct(term, name), do: is_struct(term) and :maps.get(:__struct__, term) == name

  @doc "Whether `term` is an exception (of `name`)."
  def is_exception(term), do: is_struct(term) and :maps.get(:__exception__, term, false) == true

  def is_exception(term, name), do: is_exception(term) and :maps.get(:__struct__, term) == name

  @doc "Whether `left` matches the regex or contains the string `right` (strings only on the device)."
  @spec String.t() =~ String.t() :: boolean()
  def left =~ "" when is_binary(left), do: true
  def left =~ right when is_binary(left) and is_binary(right), do: :binary.match(left, right) != :nomatch

  @doc """
  The struct `struct` (a module or a struct) with `fields` (keyword list or map) set; keys
  that are not fields of the struct are ignored.
  """
  @spec struct(module() | struct(), Enumerable.t()) :: struct()
  def struct(struct, fields \\ []), do: build_struct(struct, fields, &ignore_key/3)

  @doc "As `struct/2`, but raises KeyError for a key that is not a field."
  @spec struct!(module() | struct(), Enumerable.t()) :: struct()
  def struct!(struct, fields \\ [])

  def struct!(module, fields) when is_atom(module), do: module.__struct__(fields)
  def struct!(struct, fields) when is_map(struct), do: build_struct(struct, fields, &missing_key/3)

  defp build_struct(module, fields, unknown) when is_atom(module),
    do: build_struct(module.__struct__(), fields, unknown)

  defp build_struct(%{__struct__: name} = struct, fields, unknown) do
    :lists.foldl(
      fn
        {:__struct__, _}, acc -> acc
        {key, value}, acc when is_map_key(acc, key) -> :maps.put(key, value, acc)
        {key, _value}, acc -> unknown.(key, acc, name)
      end,
      struct,
      pairs(fields)
    )
  end

  defp pairs(fields) when is_map(fields), do: :maps.to_list(fields)
  defp pairs(fields) when is_list(fields), do: fields

  defp ignore_key(_key, acc, _name), do: acc
  defp missing_key(key, acc, _name), do: :erlang.error(KeyError.exception(key: key, term: acc))

  @doc "The value at `keys` in `data`: Access keys, or accessor funs such as `Access.at/1`."
  def get_in(data, [accessor]) when is_function(accessor), do: accessor.(:get, data, & &1)
  def get_in(data, [accessor | rest]) when is_function(accessor),
    do: accessor.(:get, data, &get_in(&1, rest))

  def get_in(nil, [_key]), do: nil
  def get_in(nil, [_key | rest]), do: get_in(nil, rest)
  def get_in(data, [key]), do: Access.get(data, key)
  def get_in(data, [key | rest]), do: get_in(Access.get(data, key), rest)

  @doc "`data` with the value at `keys` replaced by `value`."
  def put_in(data, [_ | _] = keys, value),
    do: elem(get_and_update_in(data, keys, fn _ -> {nil, value} end), 1)

  @doc "`data` with the value at `keys` replaced by `fun` of it."
  def update_in(data, [_ | _] = keys, fun) when is_function(fun, 1),
    do: elem(get_and_update_in(data, keys, fn value -> {nil, fun.(value)} end), 1)

  @doc "`fun` gets the value at `keys` and returns `{get, new}` (or `:pop`); returns `{get, data}`."
  def get_and_update_in(data, [accessor], fun) when is_function(accessor, 3),
    do: accessor.(:get_and_update, data, fun)

  def get_and_update_in(data, [accessor | rest], fun) when is_function(accessor, 3),
    do: accessor.(:get_and_update, data, &get_and_update_in(&1, rest, fun))

  def get_and_update_in(data, [key], fun) when is_function(fun, 1),
    do: Access.get_and_update(data, key, fun)

  def get_and_update_in(data, [key | rest], fun) when is_function(fun, 1),
    do: Access.get_and_update(data, key, &get_and_update_in(&1, rest, fun))

  @doc "Remove the value at `keys`: `{value, data}`."
  def pop_in(nil, [key | _]),
    do: raise(ArgumentError, "could not pop key #{Kernel.inspect(key)} on a nil value")

  def pop_in(data, [_ | _] = keys), do: pop_path(data, keys)

  defp pop_path(nil, [_ | _]), do: :pop
  defp pop_path(data, [accessor]) when is_function(accessor), do: accessor.(:get_and_update, data, fn _ -> :pop end)
  defp pop_path(data, [accessor | rest]) when is_function(accessor),
    do: accessor.(:get_and_update, data, &pop_path(&1, rest))

  defp pop_path(data, [key]), do: Access.pop(data, key)
  defp pop_path(data, [key | rest]), do: Access.get_and_update(data, key, &pop_path(&1, rest))
end
