defmodule UndefinedFunctionError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  A call to a function that does not exist: its module is not available, or does not
  export it (Erlang's `undef`).
  """
  defexception [:module, :function, :arity, :reason, :message]

  @impl true
  def message(%{message: message}) when is_binary(message), do: message
  def message(%{function: function, arity: arity}) when is_nil(function) or is_nil(arity),
    do: "undefined function"

  def message(%{module: nil, function: function, arity: arity}),
    do: "function #{inspect_name(function)}/#{arity} is undefined"

  def message(%{module: module, function: function, arity: arity, reason: reason}) do
    mfa = Exception.format_mfa(module, function, arity)

    cond do
      reason != nil -> "function #{mfa} is undefined (#{reason})"
      loaded?(module) -> "function #{mfa} is undefined or private"
      true -> "function #{mfa} is undefined (module #{inspect(module)} is not available)"
    end
  end

  defp loaded?(module), do: :code.ensure_loaded(module) == {:module, module}

  defp inspect_name(function) do
    case inspect(function) do
      ":" <> name -> name
      name -> name
    end
  end
end
