using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace IoTSec.Gateway.Hardware;

/// <summary>
/// The tamper switch and status LED, section <c>IoTSec:Tamper</c>. The defaults are the pin map
/// of hardware/gateway-pins.md (Raspberry Pi, BCM numbering): switch on BCM 17 with the internal
/// pull-up, closed to ground while the lid is shut; LED on BCM 27 through a resistor to ground.
/// </summary>
public sealed class TamperSettings
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IoTSec:Tamper";

    /// <summary>
    /// Watch the switch. Off only where there is no switch (a laptop run): then no GPIO is
    /// opened, but a persisted tamper flag still keeps the latch set and issuance stopped.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The GPIO chip (gpiochip N; 0 on a Raspberry Pi 3/4 and on a Pi 5 with kernel 6.6.45 or later, 4 on older Pi 5 kernels).</summary>
    public int GpioChip { get; set; }

    /// <summary>The switch's line (BCM number on a Pi).</summary>
    public int TamperPin { get; set; } = 17;

    /// <summary>The status LED's line (BCM number); -1 for no LED.</summary>
    public int LedPin { get; set; } = 27;

    /// <summary>
    /// True (the wiring of hardware/gateway-pins.md): the switch is closed while the lid is shut and
    /// pulls the line LOW against the pull-up; an opened lid or a cut wire reads HIGH, which is
    /// tampered. False: the line is HIGH while the lid is shut (a switch to 3V3 with a pull-down).
    /// </summary>
    public bool ActiveLow { get; set; } = true;

    /// <summary>How long the line must settle after an edge before it is read (contact bounce).</summary>
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the switch is read besides its edges (a missed edge) and the persisted flag checked (a re-arm).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Validates <see cref="TamperSettings"/> at start; each failure names the configuration key an
/// operator sets ("IoTSec:Tamper:Debounce must be …"), so the daemon's start-up error is actionable.
/// </summary>
public sealed class TamperSettingsValidator : IValidateOptions<TamperSettings>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TamperSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Check(failures, options.GpioChip is >= 0 and <= 63, "GpioChip", "0 to 63", options.GpioChip);
        Check(failures, options.TamperPin is >= 0 and <= 511, "TamperPin", "0 to 511", options.TamperPin);
        Check(failures, options.LedPin is >= -1 and <= 511, "LedPin", "-1 (no LED) or 0 to 511", options.LedPin);
        Check(failures, options.LedPin != options.TamperPin, "LedPin", "another line than TamperPin", options.LedPin);
        Check(failures, options.Debounce >= TimeSpan.FromMilliseconds(1) && options.Debounce <= TimeSpan.FromSeconds(2), "Debounce", "1 ms to 2 s", options.Debounce);
        Check(failures, options.PollInterval >= TimeSpan.FromMilliseconds(50) && options.PollInterval <= TimeSpan.FromMinutes(1), "PollInterval", "50 ms to 1 minute", options.PollInterval);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, bool valid, string key, string allowed, object value)
    {
        if (!valid)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{TamperSettings.SectionName}:{key} must be {allowed}, not {value}"));
        }
    }
}
