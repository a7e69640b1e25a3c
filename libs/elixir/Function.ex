defmodule Function do
  @moduledoc "Elixir's Function for the device: identity, capture and fun information."
  @compile {:autoload, false}

  def identity(value), do: value
  def capture(module, function, arity), do: :erlang.make_fun(module, function, arity)
  def info(fun), do: :erlang.fun_info(fun)
  def info(fun, item), do: :erlang.fun_info(fun, item)
end
