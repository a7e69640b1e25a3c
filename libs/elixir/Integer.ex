defmodule Integer do
  @moduledoc "Elixir's Integer for the device: parsing, digits, and integer arithmetic helpers."
  @compile {:autoload, false}

  def to_string(integer, base \\ 10), do: :erlang.integer_to_binary(integer, base)
  def to_charlist(integer, base \\ 10), do: :erlang.integer_to_list(integer, base)

  def parse(binary, base \\ 10) when is_binary(binary) and base in 2..36 do
    {sign, digits} =
      case binary do
        "-" <> rest -> {-1, rest}
        "+" <> rest -> {1, rest}
        _ -> {1, binary}
      end

    case take_digits(digits, base, 0, 0) do
      {_value, 0, _rest} -> :error
      {value, _count, rest} -> {sign * value, rest}
    end
  end

  defp take_digits(<<c, rest::binary>> = binary, base, value, count) do
    case digit(c) do
      d when d < base -> take_digits(rest, base, value * base + d, count + 1)
      _ -> {value, count, binary}
    end
  end

  defp take_digits(<<>>, _base, value, count), do: {value, count, ""}

  defp digit(c) when c in ?0..?9, do: c - ?0
  defp digit(c) when c in ?a..?z, do: c - ?a + 10
  defp digit(c) when c in ?A..?Z, do: c - ?A + 10
  defp digit(_c), do: 99

  def digits(integer, base \\ 10)

  def digits(integer, base) when is_integer(integer) and integer >= 0 and base >= 2,
    do: digits_of(integer, base, [])

  def digits(integer, base) when is_integer(integer) and base >= 2, do: Enum.map(digits(-integer, base), &(-&1))

  defp digits_of(integer, base, acc) when integer < base, do: [integer | acc]
  defp digits_of(integer, base, acc), do: digits_of(div(integer, base), base, [rem(integer, base) | acc])

  def undigits(digits, base \\ 10), do: Enum.reduce(digits, 0, fn d, acc -> acc * base + d end)

  def pow(base, exponent) when is_integer(base) and is_integer(exponent) and exponent >= 0, do: power(base, exponent, 1)

  defp power(_base, 0, acc), do: acc
  defp power(base, exp, acc) when rem(exp, 2) == 1, do: power(base * base, div(exp, 2), acc * base)
  defp power(base, exp, acc), do: power(base * base, div(exp, 2), acc)

  def mod(dividend, divisor) do
    remainder = rem(dividend, divisor)
    if remainder != 0 and (remainder < 0) != (divisor < 0), do: remainder + divisor, else: remainder
  end

  def floor_div(dividend, divisor) do
    if (dividend < 0) != (divisor < 0) and rem(dividend, divisor) != 0,
      do: div(dividend, divisor) - 1,
      else: div(dividend, divisor)
  end

  def gcd(a, 0), do: abs(a)
  def gcd(a, b), do: gcd(b, rem(a, b))

  def extended_gcd(a, b), do: egcd(a, b, 1, 0, 0, 1)

  defp egcd(r0, 0, s0, _s1, t0, _t1) when r0 < 0, do: {-r0, -s0, -t0}
  defp egcd(r0, 0, s0, _s1, t0, _t1), do: {r0, s0, t0}
  defp egcd(r0, r1, s0, s1, t0, t1) do
    q = div(r0, r1)
    egcd(r1, r0 - q * r1, s1, s0 - q * s1, t1, t0 - q * t1)
  end
end
