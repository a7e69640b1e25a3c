defmodule Code do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  Loading modules at run time. The device has no compiler: nothing can be evaluated, and a
  module is "compiled" when a loaded pack holds it.
  """

  @doc "`{:module, module}` once `module` is loaded, or `{:error, :nofile}`."
  @spec ensure_loaded(module()) :: {:module, module()} | {:error, atom()}
  def ensure_loaded(module) when is_atom(module), do: :code.ensure_loaded(module)

  @doc "Whether `module` is (or can be) loaded."
  @spec ensure_loaded?(module()) :: boolean()
  def ensure_loaded?(module), do: match?({:module, ^module}, ensure_loaded(module))

  @doc "As `ensure_loaded/1`: on the device every module is already compiled."
  @spec ensure_compiled(module()) :: {:module, module()} | {:error, atom()}
  def ensure_compiled(module), do: ensure_loaded(module)

  @doc "As `ensure_loaded?/1`."
  @spec ensure_compiled?(module()) :: boolean()
  def ensure_compiled?(module), do: ensure_loaded?(module)

  @doc "`module` once loaded; raises ArgumentError when it cannot be."
  @spec ensure_loaded!(module()) :: module()
  def ensure_loaded!(module) do
    case ensure_loaded(module) do
      {:module, module} -> module
      {:error, reason} -> raise ArgumentError, "could not load module #{inspect(module)} due to reason #{inspect(reason)}"
    end
  end
end
