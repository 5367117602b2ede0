using System;
using System.Device.Gpio;
using System.Threading;
using IoTSec.Gateway.Core.Tamper;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// The status LED: steady while armed, a slow blink (1 Hz) while starting, a fast blink (5 Hz)
/// while tampered — readable through the enclosure's light pipe without any tool.
/// </summary>
public sealed class StatusLed : IDisposable
{
    /// <summary>Half period of the slow blink (starting).</summary>
    public static readonly TimeSpan SlowHalfPeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>Half period of the fast blink (tampered).</summary>
    public static readonly TimeSpan FastHalfPeriod = TimeSpan.FromMilliseconds(100);

    private readonly GpioController _controller;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private PinValue _level = PinValue.Low;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an output, off.</summary>
    public StatusLed(GpioController controller, int pin, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(time);
        _controller = controller;
        Pin = pin;
        GpioLines.Open(controller, pin, PinMode.Output);
        controller.Write(pin, PinValue.Low);
        _timer = time.CreateTimer(_ => Toggle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The line.</summary>
    public int Pin { get; }

    /// <summary>Shows <paramref name="phase"/>.</summary>
    public void Show(TamperPhase phase)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            switch (phase)
            {
                case TamperPhase.Armed:
                    _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    Set(PinValue.High);
                    break;
                case TamperPhase.Tampered:
                    _timer.Change(FastHalfPeriod, FastHalfPeriod);
                    break;
                default:
                    _timer.Change(SlowHalfPeriod, SlowHalfPeriod);
                    break;
            }
        }
    }

    /// <summary>Turns the LED off and closes the line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
            Set(PinValue.Low);
            _controller.ClosePin(Pin);
        }
    }

    private void Toggle()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                Set(_level == PinValue.High ? PinValue.Low : PinValue.High);
            }
        }
    }

    private void Set(PinValue level)
    {
        _level = level;
        _controller.Write(Pin, level);
    }
}
