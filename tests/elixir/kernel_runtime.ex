defmodule KernelRuntime do
  defmodule Config do
    defstruct name: "dev", opts: %{level: 1}
  end

  def start do
    data = %{sensors: %{temp: %{value: 21, unit: "C"}}, list: [a: 1, b: 2]}
    IO.inspect(get_in(data, [:sensors, :temp, :value]))
    IO.inspect(get_in(data, [:missing, :temp]))
    IO.inspect(get_in(data, [:list, :b]))
    IO.inspect(put_in(data, [:sensors, :temp, :value], 22))
    IO.inspect(update_in(data, [:sensors, :temp, :value], &(&1 * 2)))
    IO.inspect(get_and_update_in(data, [:sensors, :temp, :unit], fn u -> {u, "F"} end))
    IO.inspect(pop_in(data, [:sensors, :temp, :unit]))
    IO.inspect(pop_in(data, [:list, :a]))
    IO.inspect(put_in(data.sensors.temp.value, 30))
    IO.inspect(update_in(data[:list][:a], &(&1 + 100)))
    IO.inspect(get_in([%{x: 1}, %{x: 2}], [Access.all(), :x]))
    IO.inspect(get_in(%{a: [10, 20, 30]}, [:a, Access.at(1)]))

    c = %Config{}
    IO.inspect(put_in(c.opts.level, 3))
    IO.inspect(struct(c, name: "prod", bogus: 1))
    IO.inspect(struct(Config, %{"name" => "ignored", opts: []}))

    IO.inspect(function_exported?(KernelRuntime, :start, 0))
    IO.inspect(function_exported?(KernelRuntime, :nope, 0))
    IO.inspect(apply(Enum, :reverse, [[1, 2, 3]]))
    IO.inspect(apply(fn a, b -> a - b end, [10, 4]))
    IO.inspect("temperature" =~ "rat")
    IO.inspect("temperature" =~ "xyz")
    IO.inspect(is_exception(%RuntimeError{}))
    IO.inspect(is_exception(%Config{}))
    IO.inspect(max(3, 7) + min(3, 7) + abs(-2) + div(17, 5) + rem(17, 5))
    IO.inspect(inspect([1, 2, 3], limit: 2))
    IO.inspect(inspect(:atom))
    IO.inspect(inspect("str"))
    IO.puts(inspect(%Config{}))
    destructure([a, b, c], [1, 2])
    IO.inspect({a, b, c})
    {time, :done} = {System.monotonic_time(), :done}
    IO.inspect(is_integer(time))
    IO.inspect(System.convert_time_unit(1500, :millisecond, :second))
    IO.inspect(is_integer(System.unique_integer([:positive])))
    IO.inspect(is_integer(System.system_time(:second)))
    IO.inspect(Module.concat(KernelRuntime, "Config") == Config)
    IO.inspect(Module.split(KernelRuntime.Config))
    IO.inspect(Code.ensure_loaded(KernelRuntime.Config))
    IO.inspect(Code.ensure_loaded?(Nope.Nothing))

    message =
      try do
        raise(some_value())
      rescue
        e -> {e.__struct__, Exception.message(e)}
      end

    IO.inspect(message)
    :ok
  end

  defp some_value, do: "raised from a variable"
end
