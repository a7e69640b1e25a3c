defmodule Float do
  @moduledoc """
  Elixir's Float for the device: parsing, text, and rounding to a number of
  decimal places. Rounding works on the float's exact binary value (as Elixir
  does), so `round(2.675, 2)` is 2.67: the float 2.675 lies just below it.
  """
  @compile {:autoload, false}
  import Kernel, except: [round: 1, floor: 1, ceil: 1]

  def to_string(float) when is_float(float), do: :erlang.float_to_binary(float, [:short])
  def to_charlist(float) when is_float(float), do: :erlang.float_to_list(float, [:short])

  # ---- parsing ----------------------------------------------------------------

  @doc "`{float, rest}` for the number at the start of `binary`, or `:error`."
  def parse(binary) when is_binary(binary) do
    {sign, body} =
      case binary do
        "-" <> rest -> {"-", rest}
        "+" <> rest -> {"", rest}
        _ -> {"", binary}
      end

    case digits(body) do
      {"", _rest} -> :error
      {whole, rest} -> fraction(sign <> whole, rest)
    end
  end

  defp fraction(whole, "." <> rest = after_whole) do
    case digits(rest) do
      {"", _} -> exponent(whole <> ".0", after_whole)
      {fraction, rest} -> exponent(whole <> "." <> fraction, rest)
    end
  end

  defp fraction(whole, rest), do: exponent(whole <> ".0", rest)

  defp exponent(number, <<e, rest::binary>> = after_number) when e in [?e, ?E] do
    {sign, body} =
      case rest do
        "-" <> body -> {"-", body}
        "+" <> body -> {"", body}
        _ -> {"", rest}
      end

    case digits(body) do
      {"", _} -> {:erlang.binary_to_float(number), after_number}
      {exp, rest} -> {:erlang.binary_to_float(number <> "e" <> sign <> exp), rest}
    end
  end

  defp exponent(number, rest), do: {:erlang.binary_to_float(number), rest}

  defp digits(binary), do: digits(binary, 0)

  defp digits(binary, count) do
    case binary do
      <<_::binary-size(count), c, _::binary>> when c in ?0..?9 -> digits(binary, count + 1)
      <<taken::binary-size(count), rest::binary>> -> {taken, rest}
    end
  end

  # ---- rounding -----------------------------------------------------------------

  def round(float, precision \\ 0) when is_float(float) and precision in 0..15,
    do: to_places(float, precision, :half_up)

  def floor(float, precision \\ 0) when is_float(float) and precision in 0..15,
    do: to_places(float, precision, :floor)

  def ceil(float, precision \\ 0) when is_float(float) and precision in 0..15,
    do: to_places(float, precision, :ceil)

  # From 2^52 up every float is a whole number already.
  defp to_places(float, _places, _mode) when abs(float) >= 4_503_599_627_370_496.0, do: float

  # Below 1.0e-17 the exact fraction would pass the VM's 256-bit integers; the answer is known.
  defp to_places(float, places, mode) when abs(float) < 1.0e-17 do
    case mode do
      :floor when float < 0 -> -1 / pow10(places)
      :ceil when float > 0 -> 1 / pow10(places)
      _ -> 0.0
    end
  end

  # The float is num / den exactly; scale by 10^places and round that fraction to an integer.
  defp to_places(float, places, mode) do
    {num, den} = ratio(float)
    scale = pow10(places)
    whole = round_fraction(num * scale, den, mode)
    result = whole / scale
    if result == 0, do: 0.0, else: result
  end

  defp round_fraction(num, den, :floor) when num < 0, do: -div(-num + den - 1, den)
  defp round_fraction(num, den, :floor), do: div(num, den)
  defp round_fraction(num, den, :ceil), do: -round_fraction(-num, den, :floor)
  defp round_fraction(num, den, :half_up) when num < 0, do: -round_fraction(-num, den, :half_up)
  defp round_fraction(num, den, :half_up), do: div(2 * num + den, 2 * den)

  defp pow10(0), do: 1
  defp pow10(n), do: 10 * pow10(n - 1)

  @doc """
  The float as an exact fraction `{numerator, denominator}` in lowest terms.
  Floats below about 1.0e-31 need a denominator wider than the VM's 256-bit
  integers and raise `:overflow`, as AtomVM's integers do.
  """
  def ratio(float) when is_float(float) do
    <<sign::1, exp::11, mantissa::52>> = <<float::float>>

    {num, power} =
      if exp == 0, do: {mantissa, -1074}, else: {mantissa + 0x10000000000000, exp - 1075}

    num = if sign == 1, do: -num, else: num

    if power >= 0 do
      {num * pow2(power), 1}
    else
      den = pow2(-power)
      gcd = Integer.gcd(num, den)
      {div(num, gcd), div(den, gcd)}
    end
  end

  defp pow2(n), do: :erlang.bsl(1, n)

  def min_finite, do: -1.7976931348623157e308
  def max_finite, do: 1.7976931348623157e308
end
