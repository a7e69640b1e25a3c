defmodule FloatMath do
  def start do
    [
      Float.parse("1e3"), Float.parse("1.5abc"), Float.parse("-.5"), Float.parse("abc"), Float.parse("12"),
      Float.parse("1.e2"), Float.parse("+2.5E-2x"), Float.parse("-3.25"),
      Float.round(2.675, 2), Float.round(1.005, 2), Float.round(-1.5), Float.round(2.5), Float.round(1.23456, 3),
      Float.floor(-1.234, 2), Float.ceil(1.231, 2), Float.floor(3.9), Float.ceil(-3.9), Float.round(12345.678, 0),
      Float.ratio(0.75), Float.ratio(-2.5), Float.ratio(3.0), Float.round(0.0), Float.round(-0.01, 1), Float.round(0.1 + 0.2, 10),
      Float.round(123.456, 1), Float.ceil(0.0001, 3), Float.floor(-0.0001, 3), Float.to_string(0.1), Float.to_charlist(2.0e-5),
      Float.round(1.0e20, 2), Float.ceil(1.0e-300, 2), Float.floor(-1.0e-300, 1), Float.round(5.0e-324, 3),
      Float.round(-123.456789, 4), Float.floor(4503599627370497.0, 2)
    ]
    |> Enum.each(&IO.inspect/1)
  end
end
