defmodule ErlangError do
  # Elixir's own module of this name must stay loaded in the compiler building the library.
  @compile {:autoload, false}
  @moduledoc """
  An Erlang error with no Elixir exception of its own; `normalize/2` turns the Erlang error
  terms that have one (`badarg`, `{:badmatch, term}`, `undef`, ...) into that exception, as
  `rescue` does.
  """
  defexception [:original, :reason]

  @impl true
  def message(exception), do: "Erlang error: #{inspect(exception.original)}"

  @doc false
  @spec normalize(term(), Exception.stacktrace()) :: Exception.t()
  def normalize(:badarg, _stacktrace), do: %ArgumentError{}
  def normalize({:badarg, payload}, _stacktrace), do: %ArgumentError{message: "argument error: #{inspect(payload)}"}
  def normalize(:badarith, _stacktrace), do: %ArithmeticError{}
  def normalize(:system_limit, _stacktrace), do: %SystemLimitError{}
  def normalize(:cond_clause, _stacktrace), do: %CondClauseError{}
  def normalize({:badarity, {fun, args}}, _stacktrace), do: %BadArityError{function: fun, args: args}
  def normalize({:badfun, term}, _stacktrace), do: %BadFunctionError{term: term}
  def normalize({:badstruct, struct, term}, _stacktrace), do: %BadStructError{struct: struct, term: term}
  def normalize({:badmatch, term}, _stacktrace), do: %MatchError{term: term}
  def normalize({:badmap, term}, _stacktrace), do: %BadMapError{term: term}
  def normalize({:badbool, op, term}, _stacktrace), do: %BadBooleanError{operator: op, term: term}
  def normalize({:badkey, key}, _stacktrace), do: %KeyError{key: key}
  def normalize({:badkey, key, map}, _stacktrace) when is_map(map), do: %KeyError{key: key, term: map}

  def normalize({:badkey, key, term}, _stacktrace) do
    message =
      "key #{inspect(key)} not found in: #{inspect(term)}. If you are using the dot syntax, " <>
        "such as map.field, make sure the left-hand side of the dot is a map"

    %KeyError{key: key, term: term, message: message}
  end
  def normalize({:case_clause, term}, _stacktrace), do: %CaseClauseError{term: term}
  def normalize({:with_clause, term}, _stacktrace), do: %WithClauseError{term: term}
  def normalize({:try_clause, term}, _stacktrace), do: %TryClauseError{term: term}

  def normalize(:undef, stacktrace) do
    {module, function, arity} = top_call(stacktrace)
    %UndefinedFunctionError{module: module, function: function, arity: arity}
  end

  def normalize(:function_clause, stacktrace) do
    {module, function, arity} = top_call(stacktrace)
    %FunctionClauseError{module: module, function: function, arity: arity}
  end

  def normalize(other, _stacktrace), do: %ErlangError{original: other}

  defp top_call([{module, function, args, _} | _]) when is_list(args), do: {module, function, length(args)}
  defp top_call([{module, function, arity, _} | _]), do: {module, function, arity}
  defp top_call(_stacktrace), do: {nil, nil, nil}
end
