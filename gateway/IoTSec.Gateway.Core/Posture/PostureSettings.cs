using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// Posture settings, configuration section <c>IoTSec:Posture</c> (docs/posture.md). The
/// defaults are the safe ones: a compromised device is quarantined.
/// </summary>
public sealed class PostureSettings : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "IoTSec:Posture";

    /// <summary>"quarantine" (default), "revoke" or "alert-only": what a compromised verdict does.</summary>
    [Required]
    [AllowedValues("quarantine", "revoke", "alert-only", ErrorMessage = "IoTSec:Posture:Action must be \"quarantine\", \"revoke\" or \"alert-only\"")]
    public string Action { get; set; } = "quarantine";

    /// <summary>Added to two heartbeat intervals before a device counts as silent (network jitter, a slow reconnect).</summary>
    public TimeSpan SilenceGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the background sweep looks for silent devices.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a certificate renewal, heartbeats still MAC'd under the old key fail with BadMac:
    /// for this long after an epoch switch they are dropped without an alert (heartbeat-key.md).
    /// </summary>
    public TimeSpan EpochGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>This many boots within <see cref="RebootStormWindow"/> make a reboot storm (degraded).</summary>
    public int RebootStormBoots { get; set; } = 5;

    /// <summary>The window of <see cref="RebootStormBoots"/>.</summary>
    public TimeSpan RebootStormWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The same alert code for the same device is raised at most once per this interval (a
    /// device sending malformed heartbeats must not fill the audit log); the rest are counted.
    /// </summary>
    public TimeSpan RepeatedAlertInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The parsed <see cref="Action"/>.</summary>
    public RemediationAction Remediation => Action switch
    {
        "revoke" => RemediationAction.Revoke,
        "alert-only" => RemediationAction.AlertOnly,
        _ => RemediationAction.Quarantine,
    };

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Ranges are checked here rather than with [Range], so that the message names the
        // full configuration key (the source-generated validator drops custom messages).
        var ranges = new (string Name, TimeSpan Value, TimeSpan Min, TimeSpan Max)[]
        {
            (nameof(SilenceGrace), SilenceGrace, TimeSpan.Zero, TimeSpan.FromHours(1)),
            (nameof(SweepInterval), SweepInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            (nameof(EpochGrace), EpochGrace, TimeSpan.Zero, TimeSpan.FromHours(1)),
            (nameof(RebootStormWindow), RebootStormWindow, TimeSpan.FromSeconds(10), TimeSpan.FromDays(1)),
            (nameof(RepeatedAlertInterval), RepeatedAlertInterval, TimeSpan.Zero, TimeSpan.FromDays(1)),
        };
        foreach (var (name, value, min, max) in ranges)
        {
            if (value < min || value > max)
            {
                yield return new ValidationResult($"{SectionName}:{name} is {value}; it must be between {min} and {max}", [name]);
            }
        }

        if (RebootStormBoots is < 2 or > 1000)
        {
            yield return new ValidationResult($"{SectionName}:{nameof(RebootStormBoots)} is {RebootStormBoots}; it must be between 2 and 1000", [nameof(RebootStormBoots)]);
        }

        if (Action is not ("quarantine" or "revoke" or "alert-only"))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Action)} '{Action}' must be \"quarantine\", \"revoke\" or \"alert-only\"", [nameof(Action)]);
        }
    }

    /// <summary>Validates every setting (for code that builds settings without the options system).</summary>
    /// <exception cref="ValidationException">A setting is out of range; the message names it.</exception>
    public PostureSettings Validated()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        return this;
    }
}
