defmodule LEDC do
  @compile {:no_warn_undefined, :ledc}
  @moduledoc """
  The ESP32's LED PWM controller from Elixir: timers set frequency and resolution, channels
  put a duty cycle on a pin, optionally fading. Each function is the Erlang `ledc` module's;
  errors come back as `{:error, esp_err}` as there.
  """

  @type speed_mode :: 0 | 1
  @type ledc_timer :: 0..3
  @type ledc_channel :: 0..7
  @type fade_mode :: 0 | 1

  @doc "Configure a timer: `:duty_resolution`, `:freq_hz`, `:speed_mode`, `:timer_num`."
  defdelegate timer_config(config), to: :ledc

  @doc "Configure a channel: `:channel`, `:duty`, `:gpio_num`, `:speed_mode`, `:hpoint`, `:timer_sel`."
  defdelegate channel_config(config), to: :ledc

  @doc "Install the fade service."
  defdelegate fade_func_install(flags), to: :ledc

  @doc "Uninstall the fade service."
  defdelegate fade_func_uninstall, to: :ledc

  @doc "Prepare a fade to `target_duty` over `max_fade_ms`."
  defdelegate set_fade_with_time(speed, channel, target_duty, max_fade_ms), to: :ledc

  @doc "Prepare a fade to `target_duty` by `scale` every `cycle_num` periods."
  defdelegate set_fade_with_step(speed, channel, target_duty, scale, cycle_num), to: :ledc

  @doc "Start the prepared fade; `fade_wait_done/0` blocks until it ends."
  defdelegate fade_start(speed, channel, mode), to: :ledc

  @doc "The channel's duty."
  defdelegate get_duty(speed, channel), to: :ledc

  @doc "Set the channel's duty (takes effect with `update_duty/2`)."
  defdelegate set_duty(speed, channel, duty), to: :ledc

  @doc "Apply the duty set with `set_duty/3`."
  defdelegate update_duty(speed, channel), to: :ledc

  @doc "The timer's frequency in Hz."
  defdelegate get_freq(speed, timer_num), to: :ledc

  @doc "Change the timer's frequency."
  defdelegate set_freq(speed, timer_num, freq_hz), to: :ledc

  @doc "Stop the channel's output, leaving the pin at `idle_level`."
  defdelegate stop(speed, channel, idle_level), to: :ledc

  @doc "The high speed mode (ESP32 only)."
  @spec high_speed_mode() :: 0
  def high_speed_mode, do: 0

  @doc "The low speed mode: 1 on the ESP32, which also has a high speed mode; 0 on later chips."
  @spec low_speed_mode() :: speed_mode()
  def low_speed_mode do
    case :erlang.system_info(:esp32_chip_info) do
      %{model: :esp32} -> 1
      _ -> 0
    end
  end

  @doc "`fade_start/3` returns at once."
  @spec fade_no_wait() :: 0
  def fade_no_wait, do: 0

  @doc "`fade_start/3` returns when the fade is done."
  @spec fade_wait_done() :: 1
  def fade_wait_done, do: 1
end
