defmodule Keyword do
  @moduledoc """
  Elixir's Keyword for the device: lists of `{atom, value}` pairs where the
  first entry of a key wins, duplicates are allowed and order is kept.
  """
  @compile {:autoload, false}

  def new, do: []
  def new(pairs), do: Enum.reduce(pairs, [], fn {key, value}, acc -> delete(acc, key) ++ [{key, value}] end)
  def new(pairs, transform), do: new(Enum.map(pairs, transform))

  def keyword?([{key, _value} | rest]) when is_atom(key), do: keyword?(rest)
  def keyword?([]), do: true
  def keyword?(_other), do: false

  def get(keywords, key, default \\ nil) when is_list(keywords) and is_atom(key) do
    case :lists.keyfind(key, 1, keywords) do
      {^key, value} -> value
      false -> default
    end
  end

  def get_lazy(keywords, key, fun) do
    case :lists.keyfind(key, 1, keywords) do
      {^key, value} -> value
      false -> fun.()
    end
  end

  def get_values(keywords, key), do: for({^key, value} <- keywords, do: value)

  def fetch(keywords, key) when is_list(keywords) and is_atom(key) do
    case :lists.keyfind(key, 1, keywords) do
      {^key, value} -> {:ok, value}
      false -> :error
    end
  end

  def fetch!(keywords, key) do
    case fetch(keywords, key) do
      {:ok, value} -> value
      :error -> raise KeyError, key: key, term: keywords
    end
  end

  def has_key?(keywords, key) when is_list(keywords) and is_atom(key), do: :lists.keymember(key, 1, keywords)
  def keys(keywords), do: for({key, _value} <- keywords, do: key)
  def values(keywords), do: for({_key, value} <- keywords, do: value)
  def to_list(keywords), do: keywords

  def delete(keywords, key) when is_list(keywords) and is_atom(key),
    do: for({k, _} = pair <- keywords, k != key, do: pair)

  def delete_first(keywords, key), do: :lists.keydelete(key, 1, keywords)

  def put(keywords, key, value) when is_list(keywords) and is_atom(key), do: [{key, value} | delete(keywords, key)]

  def put_new(keywords, key, value) do
    if has_key?(keywords, key), do: keywords, else: [{key, value} | keywords]
  end

  def put_new_lazy(keywords, key, fun) do
    if has_key?(keywords, key), do: keywords, else: [{key, fun.()} | keywords]
  end

  def replace(keywords, key, value) do
    if has_key?(keywords, key), do: replace_first(keywords, key, value), else: keywords
  end

  def replace!(keywords, key, value) do
    if has_key?(keywords, key), do: replace_first(keywords, key, value), else: raise(KeyError, key: key, term: keywords)
  end

  defp replace_first([{key, _} | rest], key, value), do: [{key, value} | delete(rest, key)]
  defp replace_first([pair | rest], key, value), do: [pair | replace_first(rest, key, value)]

  def update(keywords, key, default, fun) do
    case fetch(keywords, key) do
      {:ok, value} -> replace_first(keywords, key, fun.(value))
      :error -> keywords ++ [{key, default}]
    end
  end

  def update!(keywords, key, fun) do
    case fetch(keywords, key) do
      {:ok, value} -> replace_first(keywords, key, fun.(value))
      :error -> raise KeyError, key: key, term: keywords
    end
  end

  def merge(left, right) when is_list(left) and is_list(right),
    do: for({key, _} = pair <- left, not has_key?(right, key), do: pair) ++ right

  def merge(left, right, fun) do
    kept = for {key, _} = pair <- left, not has_key?(right, key), do: pair

    merged =
      for {key, value} <- right do
        case fetch(left, key) do
          {:ok, old} -> {key, fun.(key, old, value)}
          :error -> {key, value}
        end
      end

    kept ++ merged
  end

  def take(keywords, keys), do: for({key, _} = pair <- keywords, key in keys, do: pair)
  def drop(keywords, keys), do: for({key, _} = pair <- keywords, key not in keys, do: pair)
  def split(keywords, keys), do: {take(keywords, keys), drop(keywords, keys)}
  def filter(keywords, fun), do: Enum.filter(keywords, fun)
  def reject(keywords, fun), do: Enum.reject(keywords, fun)

  def pop(keywords, key, default \\ nil) do
    case fetch(keywords, key) do
      {:ok, value} -> {value, delete(keywords, key)}
      :error -> {default, keywords}
    end
  end

  def pop!(keywords, key) do
    case fetch(keywords, key) do
      {:ok, value} -> {value, delete(keywords, key)}
      :error -> raise KeyError, key: key, term: keywords
    end
  end

  def pop_first(keywords, key, default \\ nil) do
    case :lists.keytake(key, 1, keywords) do
      {:value, {^key, value}, rest} -> {value, rest}
      false -> {default, keywords}
    end
  end

  def get_and_update(keywords, key, fun) do
    current = get(keywords, key)

    case fun.(current) do
      {get, new} -> {get, set_first(keywords, key, new)}
      :pop -> {current, delete(keywords, key)}
    end
  end

  # The first entry of `key` takes `value` (later duplicates stay); a missing key goes first.
  defp set_first(keywords, key, value) do
    if has_key?(keywords, key), do: :lists.keyreplace(key, 1, keywords, {key, value}), else: [{key, value} | keywords]
  end

  def get_and_update!(keywords, key, fun) do
    current = fetch!(keywords, key)

    case fun.(current) do
      {get, new} -> {get, replace_first(keywords, key, new)}
      :pop -> {current, delete(keywords, key)}
    end
  end

  def pop_lazy(keywords, key, fun) do
    case fetch(keywords, key) do
      {:ok, value} -> {value, delete(keywords, key)}
      :error -> {fun.(), keywords}
    end
  end

  def pop_values(keywords, key), do: {get_values(keywords, key), delete(keywords, key)}

  def replace_lazy(keywords, key, fun) do
    case fetch(keywords, key) do
      {:ok, value} -> replace_first(keywords, key, fun.(value))
      :error -> keywords
    end
  end

  def from_keys(keys, value), do: for(key <- keys, do: {key, value})

  def equal?(left, right), do: :lists.sort(new(left)) == :lists.sort(new(right))

  @doc "Checks `keywords` against the allowed `values` (keys, or `{key, default}`), filling in defaults."
  def validate(keywords, values) do
    allowed = for value <- values, do: default_key(value)

    case for({key, _} <- keywords, key not in allowed, reduce: [], do: (acc -> [key | acc])) do
      [] ->
        defaults = for {key, _} = pair <- values, not has_key?(keywords, key), reduce: [], do: (acc -> [pair | acc])
        {:ok, defaults ++ keywords}

      unknown ->
        {:error, unknown}
    end
  end

  def validate!(keywords, values) do
    case validate(keywords, values) do
      {:ok, validated} ->
        validated

      {:error, unknown} ->
        raise ArgumentError,
              "unknown keys #{Kernel.inspect(unknown)} in #{Kernel.inspect(keywords)}, " <>
                "the allowed keys are: #{Kernel.inspect(for value <- values, do: default_key(value))}"
    end
  end

  defp default_key({key, _default}), do: key
  defp default_key(key) when is_atom(key), do: key
end
