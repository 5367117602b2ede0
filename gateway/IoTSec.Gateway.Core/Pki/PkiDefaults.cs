using System;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// Validities and margins of the certificate hierarchy (ADR 0006 gives the reasons).
/// </summary>
public static class PkiDefaults
{
    /// <summary>The offline root: 20 years. It is the only anchor devices hold, so replacing it means reprovisioning the fleet.</summary>
    public static readonly TimeSpan RootValidity = TimeSpan.FromDays(7305);

    /// <summary>A gateway intermediate: 5 years, about the service life of a gateway's hardware.</summary>
    public static readonly TimeSpan IntermediateValidity = TimeSpan.FromDays(1826);

    /// <summary>A device operational certificate: 90 days, renewed by EST simplereenroll.</summary>
    public static readonly TimeSpan DeviceValidity = TimeSpan.FromDays(90);

    /// <summary>The gateway's own TLS server certificates: one day, rotated after two thirds of it.</summary>
    public static readonly TimeSpan ServerValidity = TimeSpan.FromDays(1);

    /// <summary>
    /// notBefore is set this far in the past, so a device whose clock (SNTP on an ESP32) runs a
    /// little behind the gateway's does not refuse a certificate issued a moment ago.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>Longest device validity the issuer accepts from configuration.</summary>
    public static readonly TimeSpan MaxDeviceValidity = TimeSpan.FromDays(825);

    /// <summary>Longest server validity the issuer accepts from configuration: these keys live in memory, in software.</summary>
    public static readonly TimeSpan MaxServerValidity = TimeSpan.FromDays(30);
}
