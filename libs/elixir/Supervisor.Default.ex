defmodule Supervisor.Default do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc false
  # The callback module of supervisors started from a list of children
  # (`Supervisor.start_link/2`): the specification is computed before starting.
  def init(spec), do: spec
end
