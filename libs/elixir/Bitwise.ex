defmodule Bitwise do
  @moduledoc """
  Integer bit operations. Elixir inlines `band/2`, `&&&` and the rest into the
  Erlang operators when Bitwise is imported; these functions serve calls made
  at run time (`Bitwise.band(a, b)` through apply or a capture).
  """
  @compile {:autoload, false}

  def bnot(a), do: :erlang.bnot(a)
  def band(a, b), do: :erlang.band(a, b)
  def bor(a, b), do: :erlang.bor(a, b)
  def bxor(a, b), do: :erlang.bxor(a, b)
  def bsl(a, b), do: :erlang.bsl(a, b)
  def bsr(a, b), do: :erlang.bsr(a, b)
  def unquote(:&&&)(a, b), do: :erlang.band(a, b)
  def unquote(:|||)(a, b), do: :erlang.bor(a, b)
  def unquote(:<<<)(a, b), do: :erlang.bsl(a, b)
  def unquote(:>>>)(a, b), do: :erlang.bsr(a, b)
  def unquote(:^^^)(a, b), do: :erlang.bxor(a, b)
  def unquote(:~~~)(a), do: :erlang.bnot(a)
end
