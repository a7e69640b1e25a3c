%% @doc Erlang-side part of the `erlang' module for avmsim.
%%
%% Almost every function of the `erlang' module is a BIF or NIF
%% implemented natively by the VM (see docs on natives); they must not be
%% defined here, and erlang:apply/2,3 in particular is handled by the VM.
%% This module only holds functions that are written in Erlang; it is
%% deliberately empty for now and is a place for the lead to add such
%% functions later without clashing with the natives.
-module(erlang).

-export([]).
