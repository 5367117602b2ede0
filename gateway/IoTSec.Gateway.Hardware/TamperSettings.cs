using System;
using System.ComponentModel.DataAnnotations;
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
    [Range(0, 63, ErrorMessage = "IoTSec:Tamper:GpioChip must be 0 to 63")]
    public int GpioChip { get; set; }

    /// <summary>The switch's line (BCM number on a Pi).</summary>
    [Range(0, 511, ErrorMessage = "IoTSec:Tamper:TamperPin must be 0 to 511")]
    public int TamperPin { get; set; } = 17;

    /// <summary>The status LED's line (BCM number); -1 for no LED.</summary>
    [Range(-1, 511, ErrorMessage = "IoTSec:Tamper:LedPin must be -1 (no LED) or 0 to 511")]
    public int LedPin { get; set; } = 27;

    /// <summary>
    /// True (the wiring of hardware/gateway-pins.md): the switch is closed while the lid is shut and
    /// pulls the line LOW against the pull-up; an opened lid or a cut wire reads HIGH, which is
    /// tampered. False: the line is HIGH while the lid is shut (a switch to 3V3 with a pull-down).
    /// </summary>
    public bool ActiveLow { get; set; } = true;

    /// <summary>How long the line must settle after an edge before it is read (contact bounce).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:02", ErrorMessage = "IoTSec:Tamper:Debounce must be 1 ms to 2 s")]
    public TimeSpan Debounce { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How often the switch is read besides its edges (a missed edge) and the persisted flag checked (a re-arm).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "IoTSec:Tamper:PollInterval must be 50 ms to 1 minute")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Validates <see cref="TamperSettings"/> at start (source-generated from the attributes).</summary>
[OptionsValidator]
public sealed partial class TamperSettingsValidator : IValidateOptions<TamperSettings>
{
}
