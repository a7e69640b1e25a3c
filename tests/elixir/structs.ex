defmodule Structs do
  defmodule Point do
    defstruct x: 0, y: 0
  end

  defmodule Sensor do
    @enforce_keys [:pin]
    defstruct [:pin, name: "unnamed", readings: []]

    def record(%Sensor{readings: readings} = sensor, value),
      do: %{sensor | readings: [value | readings]}
  end

  def start do
    p = %Point{x: 1}
    IO.inspect(p)
    IO.inspect(%Point{p | y: 5})
    IO.inspect(p.x + 10)
    IO.inspect(Map.keys(p))
    IO.inspect(is_struct(p))
    IO.inspect(is_struct(p, Point))
    IO.inspect(is_struct(%{}))
    IO.inspect(is_map(p))
    IO.inspect(p.__struct__)

    s = %Sensor{pin: 4}
    s = s |> Sensor.record(21.5) |> Sensor.record(22.0)
    IO.inspect(s)
    IO.puts("#{s.name} on pin #{s.pin}: #{length(s.readings)} readings")

    IO.inspect(struct(Point, x: 3, z: 9))
    IO.inspect(struct(Point, %{y: 7}))
    IO.inspect(struct(p, y: 2))
    IO.inspect(struct!(Point, x: 8))

    result =
      try do
        struct!(Point, z: 1)
      rescue
        e in KeyError -> {:key_error, e.key}
      end

    IO.inspect(result)

    result =
      try do
        struct!(Sensor, name: "no pin")
      rescue
        e in ArgumentError -> e.message
      end

    IO.puts(result)

    %Point{x: x} = %Point{x: 99}
    IO.inspect(x)

    case s do
      %Sensor{pin: pin} when pin > 2 -> IO.puts("high pin #{pin}")
      _ -> IO.puts("low pin")
    end

    IO.inspect(match?(%Point{}, %{x: 1, y: 2}))
    IO.inspect(Map.from_struct(p))
    IO.inspect([%Point{}, %Point{x: -1, y: -2}])
    IO.inspect(%{origin: %Point{}})
    IO.inspect(%Point{} == %Point{x: 0, y: 0})
    :ok
  end
end
