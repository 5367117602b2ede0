using System;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>Settings of device operational certificates.</summary>
public sealed class DeviceCertificateOptions
{
    /// <summary>Lifetime of an operational certificate (default 90 days; at most 825).</summary>
    public TimeSpan Validity { get; init; } = PkiDefaults.DeviceValidity;

    /// <summary>Throws when the settings are out of range.</summary>
    public void Validate()
    {
        if (Validity < TimeSpan.FromHours(1) || Validity > PkiDefaults.MaxDeviceValidity)
        {
            throw new ArgumentException($"a device certificate's validity is 1 hour to {PkiDefaults.MaxDeviceValidity.TotalDays} days, got {Validity}");
        }
    }
}
