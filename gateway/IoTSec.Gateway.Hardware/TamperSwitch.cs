using System;
using System.Device.Gpio;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// The enclosure's tamper switch on one GPIO line: an input with the internal pull-up (or
/// pull-down for <c>ActiveLow = false</c>) so that an opened switch or a cut wire reads as an
/// open lid, both edges reported. Reads are raw; debouncing is the monitor's job.
/// </summary>
public sealed class TamperSwitch : IDisposable
{
    private readonly GpioController _controller;
    private readonly bool _activeLow;
    private readonly PinChangeEventHandler _handler;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> of <paramref name="controller"/> as the switch input.</summary>
    public TamperSwitch(GpioController controller, int pin, bool activeLow)
    {
        ArgumentNullException.ThrowIfNull(controller);
        _controller = controller;
        _activeLow = activeLow;
        Pin = pin;

        // The bias is what makes a cut wire fail safe: it pulls the line to the "open" level.
        var biased = activeLow ? PinMode.InputPullUp : PinMode.InputPullDown;
        var mode = controller.IsPinModeSupported(pin, biased) ? biased : PinMode.Input;
        GpioLines.Open(controller, pin, mode);
        HasBias = mode == biased;
        _handler = (_, _) => Edge?.Invoke();
        controller.RegisterCallbackForPinValueChangedEvent(pin, PinEventTypes.Rising | PinEventTypes.Falling, _handler);
    }

    /// <summary>Raised on every edge of the line (bounces included), on the driver's event thread.</summary>
    public event Action? Edge;

    /// <summary>The line.</summary>
    public int Pin { get; }

    /// <summary>False when the driver offers no internal bias: the board then needs an external resistor (hardware/gateway-pins.md).</summary>
    public bool HasBias { get; }

    /// <summary>Reads the line now: true when the enclosure is closed.</summary>
    public bool ReadLidClosed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var level = _controller.Read(Pin);
        return _activeLow ? level == PinValue.Low : level == PinValue.High;
    }

    /// <summary>Stops the edge reports and closes the line.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _controller.UnregisterCallbackForPinValueChangedEvent(Pin, _handler);
        _controller.ClosePin(Pin);
    }
}
