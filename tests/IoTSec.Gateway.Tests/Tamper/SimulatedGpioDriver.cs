using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Threading;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// The hardware we cannot have here: GPIO lines with what is wired to them. A line's level is
/// what the outside drives (the tamper switch closed to ground reads Low) or, when nothing
/// drives it, its bias (pull-up High, pull-down Low); an output reads what was written. A
/// change of level raises the registered edge callbacks, as libgpiod's event thread does.
/// Tests reach it through Iot.Device.Bindings' VirtualGpioController, as the gateway would a
/// board's controller.
/// </summary>
internal sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Line> _lines = [];

    protected override int PinCount => 64;

    /// <summary>The outside drives <paramref name="pin"/> to <paramref name="level"/> (null: lets it float to its bias).</summary>
    public void Drive(int pin, PinValue? level)
    {
        List<(PinChangeEventHandler Handler, PinEventTypes Types)> callbacks;
        PinValue before, after;
        lock (_gate)
        {
            var line = LineOf(pin);
            before = line.Level;
            line.Driven = level;
            after = line.Level;
            callbacks = [.. line.Callbacks];
        }

        Notify(pin, before, after, callbacks);
    }

    /// <summary>Changes the level without raising edges (an interrupt the kernel lost).</summary>
    public void DriveSilently(int pin, PinValue? level)
    {
        lock (_gate)
        {
            LineOf(pin).Driven = level;
        }
    }

    /// <summary>The level of <paramref name="pin"/> now (an LED's output).</summary>
    public PinValue Level(int pin)
    {
        lock (_gate)
        {
            return LineOf(pin).Level;
        }
    }

    /// <summary>How many times the level of output <paramref name="pin"/> changed (LED blinking).</summary>
    public int Transitions(int pin)
    {
        lock (_gate)
        {
            return LineOf(pin).Transitions;
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Open = true;
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            var line = LineOf(pinNumber);
            line.Open = false;
            line.Callbacks.Clear();
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Mode = mode;
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            return LineOf(pinNumber).Mode;
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) =>
        mode is PinMode.Input or PinMode.InputPullUp or PinMode.InputPullDown or PinMode.Output;

    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            return LineOf(pinNumber).Level;
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            var line = LineOf(pinNumber);
            if (line.Written != value)
            {
                line.Transitions++;
            }

            line.Written = value;
        }
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the gateway uses edge callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Callbacks.Add((callback, eventTypes));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_gate)
        {
            LineOf(pinNumber).Callbacks.RemoveAll(entry => entry.Handler == callback);
        }
    }

    public override GpioChipInfo GetChipInfo() => new(0, "gpiochip-simulated", "IoTSec tests", PinCount);

    private void Notify(int pin, PinValue before, PinValue after, List<(PinChangeEventHandler Handler, PinEventTypes Types)> callbacks)
    {
        if (before == after)
        {
            return;
        }

        var type = after == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        foreach (var (handler, types) in callbacks)
        {
            if ((types & type) != 0)
            {
                handler(this, new PinValueChangedEventArgs(type, pin));
            }
        }
    }

    private Line LineOf(int pin)
    {
        if (!_lines.TryGetValue(pin, out var line))
        {
            line = new Line();
            _lines[pin] = line;
        }

        return line;
    }

    private sealed class Line
    {
        public bool Open { get; set; }

        public PinMode Mode { get; set; } = PinMode.Input;

        public PinValue? Driven { get; set; }

        public PinValue Written { get; set; } = PinValue.Low;

        public int Transitions { get; set; }

        public List<(PinChangeEventHandler Handler, PinEventTypes Types)> Callbacks { get; } = [];

        public PinValue Level => Mode == PinMode.Output
            ? Written
            : Driven ?? (Mode == PinMode.InputPullDown ? PinValue.Low : PinValue.High);
    }
}
