using System;
using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace IoTSec.Gateway.Hardware;

/// <summary>Opens the GPIO controller the switch and LED are on (tests give a virtual one).</summary>
/// <param name="Open">Makes a controller; the caller disposes it.</param>
public sealed record TamperGpio(Func<TamperSettings, GpioController> Open)
{
    /// <summary>The real one: the Linux GPIO character device gpiochip N through libgpiod.</summary>
    public static TamperGpio LinuxCharacterDevice { get; } = new(settings =>
        OperatingSystem.IsLinux()
            ? new GpioController(new LibGpiodDriver(settings.GpioChip))
            : throw new PlatformNotSupportedException("the tamper switch needs Linux GPIO (set IoTSec:Tamper:Enabled=false elsewhere)"));
}
