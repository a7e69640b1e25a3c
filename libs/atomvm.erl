%% atomvm -- AtomVM-specific functions (eavmlib atomvm).
%%
%% Every function of this module is a NIF of the VM; AtomVM's module only
%% holds stubs, so does this one. A stub runs only when the VM has no native
%% of that name and fails with error:undefined, as in AtomVM.
%%
%% platform() -> esp32 | stm32 | pico | generic_unix | emscripten
%% random() -> a random 32-bit integer
%% rand_bytes(Len) -> a binary of Len random bytes (badarg when Len < 0)
%% read_priv(App, Path) -> the contents of App/priv/Path in the open packs, or undefined
%% add_avm_pack_file(Path, [{name, N}]) -> ok | {error, cannot_open | invalid_avm |
%%     not_supported}: opens a pack searched before the others (ESP32: a flash
%%     partition "/dev/partition/by-name/main.avm"; generic_unix: a file)
%% add_avm_pack_binary(Bin, [{name, N}]) -> ok: a pack searched after the others
%% close_avm_pack(N, []) -> ok | error (none of that name, or one a module was loaded from)
%% get_start_beam(N) -> {ok, <<"mod.beam">>} | {error, no_start_beam | avm_pack_not_found}
-module(atomvm).

-export([
    platform/0,
    random/0,
    rand_bytes/1,
    read_priv/2,
    add_avm_pack_binary/2,
    add_avm_pack_file/2,
    close_avm_pack/2,
    get_start_beam/1,
    posix_open/2,
    posix_open/3,
    posix_close/1,
    posix_read/2,
    posix_write/2,
    posix_clock_settime/2
]).

-deprecated([{random, 0, next_version}]).

-type platform_name() :: generic_unix | emscripten | esp32 | pico | stm32.
-type posix_fd() :: binary().
-type posix_error() :: atom() | integer().

-export_type([platform_name/0, posix_fd/0, posix_error/0]).

-spec platform() -> platform_name().
platform() ->
    erlang:nif_error(undefined).

-spec random() -> integer().
random() ->
    erlang:nif_error(undefined).

-spec rand_bytes(Len :: non_neg_integer()) -> binary().
rand_bytes(_Len) ->
    erlang:nif_error(undefined).

-spec read_priv(App :: atom(), Path :: list() | binary()) -> binary() | undefined.
read_priv(_App, _Path) ->
    erlang:nif_error(undefined).

-spec add_avm_pack_binary(AVMData :: binary(), Options :: [{name, atom()}]) ->
    ok | {error, term()}.
add_avm_pack_binary(_AVMData, _Options) ->
    erlang:nif_error(undefined).

-spec add_avm_pack_file(AVMPath :: iodata(), Options :: [{name, atom()}]) ->
    ok | {error, term()}.
add_avm_pack_file(_AVMPath, _Options) ->
    erlang:nif_error(undefined).

-spec close_avm_pack(Name :: atom(), Options :: []) -> ok | error.
close_avm_pack(_Name, _Options) ->
    erlang:nif_error(undefined).

-spec get_start_beam(AVM :: atom()) ->
    {ok, binary()} | {error, no_start_beam | avm_pack_not_found}.
get_start_beam(_AVM) ->
    erlang:nif_error(undefined).

-spec posix_open(Path :: iodata(), Flags :: [atom()]) -> {ok, posix_fd()} | {error, posix_error()}.
posix_open(_Path, _Flags) ->
    erlang:nif_error(undefined).

-spec posix_open(Path :: iodata(), Flags :: [atom()], Mode :: non_neg_integer()) ->
    {ok, posix_fd()} | {error, posix_error()}.
posix_open(_Path, _Flags, _Mode) ->
    erlang:nif_error(undefined).

-spec posix_close(File :: posix_fd()) -> ok | {error, posix_error()}.
posix_close(_File) ->
    erlang:nif_error(undefined).

-spec posix_read(File :: posix_fd(), Count :: non_neg_integer()) ->
    {ok, binary()} | eof | {error, posix_error()}.
posix_read(_File, _Count) ->
    erlang:nif_error(undefined).

-spec posix_write(File :: posix_fd(), Data :: binary()) ->
    {ok, non_neg_integer()} | {error, posix_error()}.
posix_write(_File, _Data) ->
    erlang:nif_error(undefined).

-spec posix_clock_settime(ClockId :: realtime, Time :: {integer(), integer()}) ->
    ok | {error, posix_error()}.
posix_clock_settime(_ClockId, _Time) ->
    erlang:nif_error(undefined).
